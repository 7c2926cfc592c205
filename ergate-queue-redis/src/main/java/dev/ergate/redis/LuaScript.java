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
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * One Lua script: the shared {@code lib.lua} followed by the script's own body, run with
 * EVALSHA (one round trip, the text is not sent again) and sent in full by EVAL only when the
 * server does not know it yet (first use, restart, {@code SCRIPT FLUSH}).
 *
 * <p>Every key a script touches is declared in KEYS. A key that depends on data the caller
 * can't know before (the job keys of a listing's page, a stored job's old workflow index) is
 * named by the script: it raises {@value #UNDECLARED} with those keys before it writes anything,
 * and {@link #run} runs it again with them added (at most {@value #MAX_ROUNDS} runs).
 *
 * <p>Immutable and thread-safe.
 */
final class LuaScript {

    private static final String RESOURCE_DIR = "lua/";
    /** The error a script raises (lib.lua, check_declared) when it needs keys it was not given. */
    static final String UNDECLARED = "ERGATE_UNDECLARED";
    /** The most runs of one call: the first, and up to three with the keys the runs before named. */
    static final int MAX_ROUNDS = 4;

    /**
     * Test-only: when true, every script runs with a check in front of it that fails a call
     * touching a key not declared in KEYS (Redis itself does not check it outside a cluster).
     */
    static volatile boolean checkKeys;

    /** The numbers 0 to 9 as digits: most numbers a step sends (delivery counts, priorities, flags) are one of them. */
    private static final byte[][] SMALL = new byte[10][];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new byte[] {(byte) ('0' + i)};
        }
    }

    private final String name;
    private final byte[] text;
    private final byte[] sha1;
    private final String source;
    private volatile byte @Nullable [] checkedText;
    private volatile byte @Nullable [] checkedSha1;

    private LuaScript(String name, String text) {
        this.name = name;
        this.text = text.getBytes(StandardCharsets.UTF_8);
        this.sha1 = sha1Hex(this.text).getBytes(StandardCharsets.US_ASCII);
        this.source = text;
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
        return runEncoded(redis, toBytes(keys), toBytes(args));
    }

    /**
     * Runs the script with keys and arguments already encoded ({@link #toBytes}).
     *
     * @param keyBytes the keys; a run that names keys it needs adds them to this list
     * @return as {@link #run}
     */
    @Nullable Object runEncoded(UnifiedJedis redis, List<byte[]> keyBytes, List<byte[]> argBytes) {
        for (int round = 1; ; round++) {
            try {
                return runOnce(redis, keyBytes, argBytes);
            } catch (JedisDataException e) {
                List<byte[]> named = undeclared(e.getMessage());
                if (named.isEmpty() || round == MAX_ROUNDS) {
                    throw e;
                }
                int slot = keyBytes.isEmpty() ? -1 : JedisClusterCRC16.getSlot(keyBytes.get(0));
                for (byte[] key : named) {
                    if (slot >= 0 && JedisClusterCRC16.getSlot(key) != slot) {
                        throw new IllegalStateException("Lua script " + name + " named a key outside its hash slot: "
                                + new String(key, StandardCharsets.UTF_8), e);
                    }
                }
                keyBytes.addAll(named);
            }
        }
    }

    private @Nullable Object runOnce(UnifiedJedis redis, List<byte[]> keys, List<byte[]> args) {
        byte[] runText = text;
        byte[] runSha1 = sha1;
        if (checkKeys) {
            runText = checkedText();
            runSha1 = java.util.Objects.requireNonNull(checkedSha1);
        }
        try {
            return redis.executeCommand(evalsha(runSha1, keys, args));
        } catch (JedisNoScriptException notLoaded) {
            return redis.eval(runText, keys, args);
        }
    }

    /**
     * Queues one EVALSHA of the script on a pipeline: its reply is known after the pipeline's
     * sync. A reply that {@link #mustRunAlone} names did not run the script; run that call
     * again with {@link #runEncoded}.
     */
    Response<Object> queue(AbstractPipeline pipeline, List<byte[]> keyBytes, List<byte[]> argBytes) {
        byte[] runSha1 = sha1;
        if (checkKeys) {
            checkedText();
            runSha1 = java.util.Objects.requireNonNull(checkedSha1);
        }
        return pipeline.executeCommand(evalsha(runSha1, keyBytes, argBytes));
    }

    /**
     * {@return the EVALSHA command} Jedis's own {@code evalsha} computes the cluster hash slot of
     * every key (a CRC16 and a set entry each; a step's finish has 13 or more keys); all keys of
     * a script share the namespace's hash tag, so the first one alone routes the call (to the
     * node of its slot on a cluster; Redis itself still refuses a call whose keys span slots).
     */
    private static CommandObject<Object> evalsha(byte[] sha1, List<byte[]> keys, List<byte[]> args) {
        CommandArguments command = new CommandArguments(Protocol.Command.EVALSHA).add(sha1).add(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            if (i == 0) {
                command.key(keys.get(0));
            } else {
                command.add(keys.get(i));
            }
        }
        for (byte[] arg : args) {
            command.add(arg);
        }
        return new CommandObject<>(command, BuilderFactory.RAW_OBJECT);
    }

    /**
     * {@return true when a pipelined call failed without running the script, in a way {@link
     * #runEncoded} deals with: the server does not know the script yet ({@code NOSCRIPT}), it needs
     * keys it was not given ({@value #UNDECLARED}, raised before it writes anything), or a cluster
     * node sent the call elsewhere (a pipeline does not follow redirections)}
     */
    static boolean mustRunAlone(JedisDataException e) {
        return e instanceof JedisNoScriptException || e instanceof JedisRedirectionException
                || (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"))
                || !undeclared(e.getMessage()).isEmpty();
    }

    /**
     * The script with the test class path's {@code check_keys.lua} in front, on the first line
     * (so the line numbers of errors stay those of lib.lua and the script).
     */
    private byte[] checkedText() {
        byte[] checked = checkedText;
        if (checked == null) {
            StringBuilder oneLine = new StringBuilder();
            for (String line : resource("check_keys").split("\n")) {
                if (!line.strip().startsWith("--")) {
                    oneLine.append(line.strip()).append(' ');
                }
            }
            checked = (oneLine + source).getBytes(StandardCharsets.UTF_8);
            checkedSha1 = sha1Hex(checked).getBytes(StandardCharsets.US_ASCII);
            checkedText = checked;
        }
        return checked;
    }

    /** {@return the keys an {@value #UNDECLARED} error names (hex, space-separated, up to END), else none} */
    static List<byte[]> undeclared(@Nullable String message) {
        List<byte[]> keys = new ArrayList<>();
        if (message == null) {
            return keys;
        }
        int at = message.indexOf(UNDECLARED + " ");
        if (at < 0) {
            return keys;
        }
        HexFormat hex = HexFormat.of();
        for (String token : message.substring(at + UNDECLARED.length() + 1).split(" ")) {
            if (token.equals("END")) {
                return keys;
            }
            try {
                keys.add(hex.parseHex(token));
            } catch (IllegalArgumentException notHex) {
                return List.of(); // not our message after all
            }
        }
        return List.of();
    }

    /**
     * {@return the values as Redis takes them: byte arrays as they are, whole numbers as decimal
     * digits, anything else as its text in UTF-8}
     */
    static List<byte[]> toBytes(List<?> values) {
        List<byte[]> bytes = new ArrayList<>(values.size());
        for (Object value : values) {
            if (value instanceof byte[] raw) {
                bytes.add(raw);
            } else if (value instanceof Long number) {
                bytes.add(digits(number));
            } else if (value instanceof Integer number) {
                bytes.add(digits(number));
            } else {
                bytes.add(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes;
    }

    /** {@return {@code value} in decimal ASCII, without a String on the way (a step encodes about ten numbers)} */
    static byte[] digits(long value) {
        if (value >= 0 && value < SMALL.length) {
            return SMALL[(int) value];
        }
        if (value == Long.MIN_VALUE) {
            return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        }
        long rest = Math.abs(value);
        int length = value < 0 ? 1 : 0;
        for (long v = rest; v > 0; v /= 10) {
            length++;
        }
        byte[] out = new byte[length];
        for (int i = length - 1; rest > 0; i--) {
            out[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        if (value < 0) {
            out[0] = '-';
        }
        return out;
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
