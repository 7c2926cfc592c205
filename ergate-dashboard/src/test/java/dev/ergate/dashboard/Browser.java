package dev.ergate.dashboard;

import dev.ergate.testkit.Backends;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium, with Debian's {@code chromium} and {@code chromedriver}
 * (installed by {@code .ci/run}): the driver path is given, so Selenium Manager never downloads
 * anything. Waits are conditions with deadlines; screenshots go to {@code target/screenshots}.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getenv().getOrDefault("ERGATE_CHROMIUM", "/usr/bin/chromium");
    static final String DRIVER = System.getenv().getOrDefault("ERGATE_CHROMEDRIVER", "/usr/bin/chromedriver");
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** @return a browser; skips (or, under ERGATE_REQUIRE_BACKENDS, fails) when Chromium is missing */
    static Browser open() {
        if (!new File(CHROMIUM).canExecute() || !new File(DRIVER).canExecute()) {
            Backends.missing("Chromium", "apt-get install chromium chromium-driver (bash .ci/run does it), or set "
                    + "ERGATE_CHROMIUM and ERGATE_CHROMEDRIVER", null);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--disable-extensions", "--no-first-run", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(DEADLINE).scriptTimeout(DEADLINE);
        return new Browser(driver);
    }

    void get(String url) {
        driver.get(url);
        until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, DEADLINE, Duration.ofMillis(50))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    WebElement find(String css) {
        return until(d -> d.findElement(By.cssSelector(css)));
    }

    /** Clicks the element, found again when a refresh replaced it between find and click. */
    void click(String css) {
        until(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    /** The element's text, read again when a refresh replaced the element between find and read. */
    String text(String css) {
        return until(d -> d.findElement(By.cssSelector(css)).getText());
    }

    /** A DOM property of the element, read again when a refresh replaced the element. */
    String property(String css, String name) {
        return until(d -> String.valueOf(d.findElement(By.cssSelector(css)).getDomProperty(name)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Saves the page as {@code target/screenshots/NAME.png}. */
    Path screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
