package dev.ergate.runtime.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The runtime tests' SLF4J backend: keeps every log line with the MDC it was written under, for
 * tests to read, and prints INFO and above to stderr as a plain logger would.
 */
public final class CapturedLogs implements SLF4JServiceProvider {

    /** One log line and the MDC it was written under. */
    public record Line(String logger, Level level, String message, String thread, Map<String, String> mdc) {
    }

    private static final List<Line> LINES = new CopyOnWriteArrayList<>();
    private static volatile boolean recording;

    private final ILoggerFactory loggers = new Loggers();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    /** Starts keeping lines (dropping any kept before). */
    public static void start() {
        LINES.clear();
        recording = true;
    }

    /** Stops keeping lines. */
    public static void stop() {
        recording = false;
    }

    /** {@return the lines kept since {@link #start()}} */
    public static List<Line> lines() {
        return new ArrayList<>(LINES);
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class Loggers implements ILoggerFactory {
        private final Map<String, Logger> byName = new ConcurrentHashMap<>();

        @Override
        public Logger getLogger(String name) {
            return byName.computeIfAbsent(name, Capturing::new);
        }
    }

    private static final class Capturing extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        Capturing(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            if (recording) {
                Map<String, String> context = MDC.getCopyOfContextMap();
                LINES.add(new Line(name, level, message, Thread.currentThread().getName(),
                        context == null ? Map.of() : Map.copyOf(context)));
            }
            if (level.toInt() >= Level.INFO.toInt()) {
                System.err.println("[" + Thread.currentThread().getName() + "] " + level + " " + name + " - " + message
                        + (throwable == null ? "" : " " + throwable));
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
