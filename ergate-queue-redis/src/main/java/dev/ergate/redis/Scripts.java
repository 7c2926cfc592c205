package dev.ergate.redis;

/**
 * Every Lua script Ergate runs on Redis, loaded once per JVM.
 *
 * <p>Immutable and thread-safe.
 */
final class Scripts {

    static final LuaScript PUT = LuaScript.load("put");
    static final LuaScript CLAIM = LuaScript.load("claim");
    static final LuaScript ACK = LuaScript.load("ack");
    static final LuaScript RELEASE = LuaScript.load("release");
    static final LuaScript EXTEND = LuaScript.load("extend");
    static final LuaScript DEAD_LETTER = LuaScript.load("dead_letter");
    static final LuaScript STORE_UPDATE = LuaScript.load("store_update");
    static final LuaScript START_STEP = LuaScript.load("start_step");
    static final LuaScript REQUEST_CANCEL = LuaScript.load("request_cancel");
    static final LuaScript LIST_JOBS = LuaScript.load("list_jobs");
    static final LuaScript FINISH_STEP = LuaScript.load("finish_step");
    static final LuaScript SUBMIT = LuaScript.load("submit");
    static final LuaScript ADMIN_COUNTS = LuaScript.load("admin_counts");
    static final LuaScript ADMIN_LIST_JOBS = LuaScript.load("admin_list_jobs");
    static final LuaScript ADMIN_RETRY = LuaScript.load("admin_retry");
    static final LuaScript ADMIN_REQUEUE = LuaScript.load("admin_requeue");
    static final LuaScript ADMIN_DELETE = LuaScript.load("admin_delete");
    static final LuaScript ADMIN_PURGE_JOBS = LuaScript.load("admin_purge_jobs");
    static final LuaScript ADMIN_LEASE = LuaScript.load("admin_lease");
    static final LuaScript PURGE_JOBS = LuaScript.load("purge_jobs");
    static final LuaScript UNIQUE_RECORD = LuaScript.load("unique_record");
    static final LuaScript UNIQUE_SWEEP = LuaScript.load("unique_sweep");
    static final LuaScript PLAN_SAVE = LuaScript.load("plan_save");
    static final LuaScript UNSTART = LuaScript.load("unstart");

    private Scripts() {
    }
}
