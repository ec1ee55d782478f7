package io.segmatch.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console in a real headless Chromium: upload a CSV through the page and find the dataset. */
class ConsoleBrowserIT extends DeployedWar {


    ChromeDriver browser;

    @BeforeEach
    void open() {
        new Http(base).deployed();
        browser = Browser.start();
    }

    @AfterEach
    void close() {
        browser.quit();
    }

    @Test
    void aMarketerUploadsACsvAndFindsTheDataset() throws Exception {
        Path csv = Files.createTempFile("browser-customers", ".csv");
        Files.writeString(csv, "email;country;ltv\nann@example.com;DE;10\nben@example.com;FR;x\n;DE;3\n");

        browser.get(base + "datasets/");
        browser.findElement(By.linkText("Upload a CSV")).click();
        browser.findElement(By.id("upload:file")).sendKeys(csv.toString());
        browser.findElement(By.id("upload:name")).sendKeys("Browser customers");
        browser.findElement(By.id("upload:read")).click();

        assertTrue(browser.findElement(By.id("confirm")).getText().contains("delimiter ;"), "the dialect is shown");
        assertEquals("email", new Select(browser.findElement(By.id("confirm:key"))).getFirstSelectedOption().getText(),
                "the key column is guessed from the header");
        Browser.screenshot(browser, "upload-read");
        browser.findElement(By.id("confirm:apply")).click();

        String summary = browser.findElement(By.id("summary")).getText();
        assertTrue(summary.matches("(?s).*\\b2\\s+inserted.*"), summary);
        assertTrue(summary.contains("the key column 'email' is empty"), "the rejected line is listed: " + summary);
        Browser.screenshot(browser, "upload-summary");

        browser.findElement(By.linkText("Open the dataset")).click();
        assertEquals("Browser customers", browser.findElement(By.tagName("h1")).getText());
        assertTrue(browser.getPageSource().contains("ann@example.com"), "the sample rows are shown");
        Browser.screenshot(browser, "dataset");

        browser.findElement(By.linkText("Datasets")).click();
        assertTrue(browser.findElement(By.linkText("Browser customers")).isDisplayed());
    }
}
