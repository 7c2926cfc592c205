package dev.ergate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HikariCP is optional: without it the backend still loads, and connect(url) says what is missing. */
class WithoutHikariTest {

    @Test
    void connectNamesTheMissingDependencyAndTheAlternative() throws Exception {
        try (URLClassLoader loader = classPathWithoutHikari()) {
            assertThat(loader.getResource("com/zaxxer/hikari/HikariDataSource.class")).isNull();
            Class<?> backend = Class.forName("dev.ergate.jdbc.JdbcBackend", true, loader);
            Method connect = backend.getMethod("connect", String.class);

            Throwable thrown = null;
            try {
                connect.invoke(null, "jdbc:postgresql://127.0.0.1:1/test");
            } catch (InvocationTargetException e) {
                thrown = e.getCause();
            }

            assertThat(thrown).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("com.zaxxer:HikariCP")
                    .hasMessageContaining("JdbcBackend.create(dataSource, options)");
        }
    }

    /** This test's class path less HikariCP, loading Ergate's classes itself (not from the parent). */
    private static URLClassLoader classPathWithoutHikari() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("HikariCP")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
