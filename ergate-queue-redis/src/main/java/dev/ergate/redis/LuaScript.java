package dev.ergate.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
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
 * One Lua script: the shared {@code lib.lua} followed by the script's own body. On Redis 7 it runs
 * as a Redis Function: a library of its own ({@code FUNCTION LOAD}) holding lib.lua and one
 * function whose body is the script's, called with FCALL. lib.lua's top level (some forty function
 * definitions and tables) then runs once, when the library is loaded, instead of at every call,
 * as it does for a script run with EVALSHA. The library and its function are named by the SHA-1
 * of the text ({@code ergate_<sha1>}), so JVMs running other versions of the scripts share a
 * Redis without replacing each other's. A server that does not know the function (first use,
 * restart, {@code FUNCTION FLUSH}; on a cluster, a node that did not serve the namespace before)
 * answers "Function not found": the library is loaded on the node of the call's first key and the
 * call made again. A server without Functions (Redis 6.2) or a user the ACL does not allow them
 * gets the script with EVALSHA, sent in full by EVAL only when the server does not know it yet.
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

    /** The prefix of the error FCALL answers for a function the server does not know. */
    private static final String FUNCTION_NOT_FOUND = "ERR Function not found";

    /**
     * The clients whose server can't run Functions (no FCALL: Redis before 7.0; or the ACL refuses
     * them): their scripts go by EVALSHA. Weak: a closed backend's client is forgotten.
     */
    private static final Map<UnifiedJedis, Boolean> EVAL_ONLY = Collections.synchronizedMap(new WeakHashMap<>());
    /** Whether {@link #EVAL_ONLY} holds any client (read on every call, without a lock). */
    private static volatile boolean anyEvalOnly;

    private final String name;
    private final String lib;
    private final String body;
    private final Variant plain;
    private volatile @Nullable Variant checked;

    private LuaScript(String name, String lib, String body) {
        this.name = name;
        this.lib = lib;
        this.body = body;
        this.plain = new Variant("", lib, body);
    }

    /**
     * @param name the script's file name under {@code dev/ergate/redis/lua/}, without {@code .lua}
     * @return the script, with the shared library in front of it
     */
    static LuaScript load(String name) {
        return load(name, "lib");
    }

    /**
     * @param name as {@link #load(String)}
     * @param lib the shared library's file name, likewise (the tests run an older release's
     *     scripts this way, kept as test resources)
     * @return the script, with that library in front of it
     */
    static LuaScript load(String name, String lib) {
        return new LuaScript(name, resource(lib), resource(name));
    }

    /**
     * The script's texts and names, as a script (EVAL) and as a function library (FUNCTION LOAD):
     * {@code prefix} (the tests' key check, one line, or nothing), lib.lua and the body. As a
     * script the body runs at the top level, with KEYS and ARGV the script's globals; in the library
     * lib.lua's KEYS and ARGV are locals of the library that the function sets from its arguments
     * at each call (with need()'s list of missing keys, the one other state lib.lua keeps during a
     * call), and the body is the function's.
     */
    private static final class Variant {
        final byte[] text;
        final byte[] sha1;
        final byte[] function;
        final byte[] library;

        Variant(String prefix, String lib, String body) {
            this.text = (prefix + lib + "\n" + body).getBytes(StandardCharsets.UTF_8);
            this.sha1 = sha1Hex(text).getBytes(StandardCharsets.US_ASCII);
            String function = "ergate_" + new String(sha1, StandardCharsets.US_ASCII);
            this.function = function.getBytes(StandardCharsets.US_ASCII);
            // (the tests' key check shadows `redis`: the library registers through the one it is loaded with)
            this.library = ("#!lua name=" + function + "\nlocal KEYS, ARGV, ergate_loader = nil, nil, redis\n" + prefix
                    + lib + "\nergate_loader.register_function('" + function + "', function(keys, args)"
                    + " KEYS, ARGV, missing_keys = keys, args, nil\n" + body + "\nend)\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    String name() {
        return name;
    }

    /** {@return the name of the script's function and of its library, as this JVM runs it now} */
    String functionName() {
        return new String(variant().function, StandardCharsets.US_ASCII);
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
        Variant run = variant();
        if (usesFunctions(redis, keys)) {
            try {
                return redis.executeCommand(fcall(run.function, keys, args));
            } catch (JedisDataException e) {
                if (functionNotFound(e)) {
                    if (loadLibrary(redis, run, keys.get(0))) {
                        return redis.executeCommand(fcall(run.function, keys, args));
                    }
                } else if (noFunctions(e)) {
                    evalOnly(redis);
                } else {
                    throw e;
                }
            }
        }
        try {
            return redis.executeCommand(evalsha(run.sha1, keys, args));
        } catch (JedisNoScriptException notLoaded) {
            return redis.eval(run.text, keys, args);
        }
    }

    /** {@return whether calls of {@code redis} go by FCALL} (A call without keys goes by EVALSHA: it has no node to load the library on.) */
    private static boolean usesFunctions(UnifiedJedis redis, List<byte[]> keys) {
        return !keys.isEmpty() && !(anyEvalOnly && EVAL_ONLY.containsKey(redis));
    }

    /**
     * Loads the script's library on the node that serves {@code routingKey} (REPLACE: a library of
     * this name has this very text). {@return false when the server can't run Functions: the
     * client's calls go by EVALSHA from now on}
     */
    private boolean loadLibrary(UnifiedJedis redis, Variant run, byte[] routingKey) {
        try {
            loadCommand(redis, routingKey, run.library);
            return true;
        } catch (JedisDataException e) {
            if (noFunctions(e)) {
                evalOnly(redis);
                return false;
            }
            throw e;
        }
    }

    /** {@return whether {@code e} says the server has no Functions (FCALL, FUNCTION unknown) or the ACL refuses them} */
    private static boolean noFunctions(JedisDataException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("ERR unknown command") || message.startsWith("ERR unknown subcommand")
                || message.startsWith("NOPERM");
    }

    private static void evalOnly(UnifiedJedis redis) {
        EVAL_ONLY.put(redis, Boolean.TRUE);
        anyEvalOnly = true;
    }

    @SuppressWarnings("deprecation") // sendCommand with a sample key: the way to reach the node of the key's slot
    private static void loadCommand(UnifiedJedis redis, byte[] routingKey, byte[] library) {
        redis.sendCommand(routingKey, Protocol.Command.FUNCTION, "LOAD".getBytes(StandardCharsets.US_ASCII),
                "REPLACE".getBytes(StandardCharsets.US_ASCII), library);
    }

    private static boolean functionNotFound(JedisDataException e) {
        String message = e.getMessage();
        return message != null && message.startsWith(FUNCTION_NOT_FOUND);
    }

    /** The texts this call runs: with the tests' key check in front when {@link #checkKeys} is on. */
    private Variant variant() {
        if (!checkKeys) {
            return plain;
        }
        Variant with = checked;
        if (with == null) {
            StringBuilder oneLine = new StringBuilder();
            for (String line : resource("check_keys").split("\n")) {
                if (!line.strip().startsWith("--")) {
                    oneLine.append(line.strip()).append(' ');
                }
            }
            with = new Variant(oneLine.toString(), lib, body);
            checked = with;
        }
        return with;
    }

    /**
     * Queues one EVALSHA of the script on a pipeline: its reply is known after the pipeline's
     * sync. A reply that {@link #mustRunAlone} names did not run the script; run that call
     * again with {@link #runEncoded}.
     */
    Response<Object> queue(UnifiedJedis redis, AbstractPipeline pipeline, List<byte[]> keyBytes,
            List<byte[]> argBytes) {
        Variant run = variant();
        return pipeline.executeCommand(usesFunctions(redis, keyBytes) ? fcall(run.function, keyBytes, argBytes)
                : evalsha(run.sha1, keyBytes, argBytes));
    }

    /**
     * {@return the EVALSHA command} Jedis's own {@code evalsha} computes the cluster hash slot of
     * every key (a CRC16 and a set entry each; a step's finish has 13 or more keys); all keys of
     * a script share the namespace's hash tag, so the first one alone routes the call (to the
     * node of its slot on a cluster; Redis itself still refuses a call whose keys span slots).
     */
    private static CommandObject<Object> evalsha(byte[] sha1, List<byte[]> keys, List<byte[]> args) {
        return call(Protocol.Command.EVALSHA, sha1, keys, args);
    }

    /** {@return the FCALL command} Routed by its first key, as {@link #evalsha}. */
    private static CommandObject<Object> fcall(byte[] function, List<byte[]> keys, List<byte[]> args) {
        return call(Protocol.Command.FCALL, function, keys, args);
    }

    private static CommandObject<Object> call(Protocol.Command verb, byte[] script, List<byte[]> keys,
            List<byte[]> args) {
        CommandArguments command = new CommandArguments(verb).add(script).add(keys.size());
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
     * #runEncoded} deals with: the server does not know the script or function yet ({@code NOSCRIPT},
     * "Function not found"), it needs
     * keys it was not given ({@value #UNDECLARED}, raised before it writes anything), or a cluster
     * node sent the call elsewhere (a pipeline does not follow redirections)}
     */
    static boolean mustRunAlone(JedisDataException e) {
        return e instanceof JedisNoScriptException || e instanceof JedisRedirectionException
                || (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) || functionNotFound(e)
                || noFunctions(e)
                || !undeclared(e.getMessage()).isEmpty();
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
