package io.segmatch.it;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * Headless Debian Chromium driven through Debian's ChromeDriver, with the flags this
 * machine needs (no background networking, no sandbox as root); screenshots go to
 * {@code target/screenshots} as build artifacts.
 */
final class Browser {

    private Browser() {
    }

    static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        // the browser's console (to see any Content Security Policy violation)
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        return driver;
    }

    /**
     * A bounded wait across a page that is being replaced: an element found in the old page
     * counts as "not yet", whether ChromeDriver reports it as stale or, as it sometimes does
     * while the new document loads, as an inspector error ("Node with given id does not belong
     * to the document"). Any other error ends the wait at once.
     */
    static PageWait waiting(WebDriver driver, Duration timeout) {
        return new PageWait(driver, timeout);
    }

    /** See {@link #waiting}. */
    static final class PageWait extends WebDriverWait {

        PageWait(WebDriver driver, Duration timeout) {
            super(driver, timeout);
            ignoring(StaleElementReferenceException.class);
        }

        @Override
        public <V> V until(Function<? super WebDriver, ? extends V> condition) {
            return super.until(d -> {
                try {
                    return condition.apply(d);
                } catch (WebDriverException e) {
                    if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                        return null;
                    }
                    throw e;
                }
            });
        }
    }

    /** Logs in through the login page and waits until the console is shown. */
    static void login(ChromeDriver driver, URL base, String username, String password) {
        driver.get(base + "login.xhtml");
        driver.findElement(By.id("login:username")).sendKeys(username);
        driver.findElement(By.id("login:password")).sendKeys(password);
        driver.findElement(By.id("login:submit")).click();
        waiting(driver, Duration.ofSeconds(20))
                .until(d -> !d.getCurrentUrl().contains("login.xhtml") || !d.findElements(By.id("login-error")).isEmpty());
    }

    /** Messages of the browser's console that report a Content Security Policy violation. */
    static List<String> policyViolations(ChromeDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
                .toList();
    }

    static Path screenshot(ChromeDriver driver, String name) {
        try {
            Path dir = Path.of(System.getProperty("segmatch.screenshots", "target/screenshots"));
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
