package dev.ergate.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script: the shared {@code lib.lua} followed by the script's own body, run with
 * EVALSHA (one round trip, the text is not sent again) and sent in full by EVAL only when the
 * server does not know it yet (first use, restart, {@code SCRIPT FLUSH}).
 *
 * <p>Immutable and thread-safe.
 */
final class LuaScript {

    private static final String RESOURCE_DIR = "lua/";

    private final String name;
    private final byte[] text;
    private final byte[] sha1;

    private LuaScript(String name, String text) {
        this.name = name;
        this.text = text.getBytes(StandardCharsets.UTF_8);
        this.sha1 = sha1Hex(this.text).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param name the script's file name under {@code dev/ergate/redis/lua/}, without {@code .lua}
     * @return the script, with the shared library in front of it
     */
    static LuaScript load(String name) {
        return new LuaScript(name, resource("lib") + "\n" + resource(name));
    }

    String name() {
        return name;
    }

    /**
     * Runs the script.
     *
     * @param redis the client
     * @param keys the keys, all in the namespace's hash tag, as text or (encoded once by the caller)
     *     raw bytes
     * @param args the arguments, as text or raw bytes
     * @return the script's reply: {@code byte[]}, {@code Long}, {@code List<Object>} or null
     */
    @Nullable Object run(UnifiedJedis redis, List<?> keys, List<?> args) {
        List<byte[]> keyBytes = toBytes(keys);
        List<byte[]> argBytes = toBytes(args);
        try {
            return redis.evalsha(sha1, keyBytes, argBytes);
        } catch (JedisNoScriptException notLoaded) {
            return redis.eval(text, keyBytes, argBytes);
        }
    }

    private static List<byte[]> toBytes(List<?> values) {
        List<byte[]> bytes = new ArrayList<>(values.size());
        for (Object value : values) {
            bytes.add(value instanceof byte[] raw ? raw : String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        }
        return bytes;
    }

    private static String resource(String name) {
        String path = RESOURCE_DIR + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + path + " is missing from the ergate-queue-redis jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("can't read Lua script " + path, e);
        }
    }

    private static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "LuaScript[" + name + "]";
    }
}
