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

    private Scripts() {
    }
}
