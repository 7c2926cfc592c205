package dev.ergate.spring.boot;

/** Names shared by the backends' configurations. */
final class AdminBeans {

    /** The bean name of the job store's {@code JobAdmin}, whichever backend made it. */
    static final String STORE_ADMIN = "ergateStoreAdmin";

    private AdminBeans() {
    }
}
