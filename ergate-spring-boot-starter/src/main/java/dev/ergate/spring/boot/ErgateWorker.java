package dev.ergate.spring.boot;

import dev.ergate.runtime.Ergate;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The Ergate worker as a Spring {@link SmartLifecycle}: it starts once the context is refreshed
 * (after the web server) and, on shutdown, drains its running steps within {@code
 * ergate.worker.drain-timeout} in the same phase as the web server's graceful shutdown.
 */
public final class ErgateWorker implements SmartLifecycle, DisposableBean {

    /** The phase of Spring Boot's web server graceful shutdown: both drain side by side. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private final Supplier<Ergate> factory;
    private Ergate ergate;
    private boolean used;

    /**
     * @param factory builds a worker with every workflow registered; called now, so a bad
     *     workflow fails start-up, and again for a restart after a stop
     */
    ErgateWorker(Supplier<Ergate> factory) {
        this.factory = factory;
        this.ergate = factory.get();
    }

    /** {@return the current worker (a new one after a stop and start of the context)} */
    public synchronized Ergate ergate() {
        return ergate;
    }

    @Override
    public synchronized void start() {
        if (ergate.isRunning()) {
            return;
        }
        if (used) {
            ergate = factory.get();
        }
        used = true;
        ergate.start();
    }

    @Override
    public void stop() {
        ergate().close();
    }

    @Override
    public void stop(Runnable callback) {
        Ergate current = ergate();
        Thread drain = new Thread(() -> {
            try {
                current.close();
            } finally {
                callback.run();
            }
        }, "ergate-drain");
        drain.start();
    }

    @Override
    public boolean isRunning() {
        return ergate().isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void destroy() {
        ergate().close();
    }
}
