package io.segmatch.it;

import io.segmatch.fake.meta.FakeMeta;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real headless Chromium: upload a CSV through the page and find the
 * dataset; build a segment in the builder, watch its live count agree with the API, save it
 * and open it again.
 */
class ConsoleBrowserIT extends DeployedWar {

    ChromeDriver browser;

    @BeforeEach
    void open() {
        new Http(base).deployed();
        browser = Browser.start();
        Browser.login(browser, base, "admin", Http.ADMIN_PASSWORD);
    }

    @AfterEach
    void close() {
        try {
            assertEquals(List.of(), Browser.policyViolations(browser), "no Content Security Policy violation on any page");
        } finally {
            browser.quit();
        }
    }

    @Test
    void aViewerLogsInChangesThePasswordAndLogsOutAndSeesNoCustomerValues() throws Exception {
        Http admin = new Http(base);
        var upload = admin.csv("api/datasets?name=Viewer%20view&key=id", "id,email,plan\n1,secret.person@example.com,pro\n");
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");
        String name = "it-browser-viewer";
        Http.as(base, name, "viewer");
        browser.findElement(By.cssSelector("#usermenu summary")).click(); // the admin of @BeforeEach leaves
        browser.findElement(By.id("usermenu:logout")).click();
        // the logout's answer first: a navigation started before it arrives would cancel it
        Browser.waiting(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("login.xhtml?out="));

        // any console address leads to the login page, and back after the login
        browser.get(base + "datasets/view.xhtml?id=" + dataset);
        assertTrue(browser.getCurrentUrl().contains("login.xhtml?next="), browser.getCurrentUrl());
        browser.findElement(By.id("login:username")).sendKeys(name);
        browser.findElement(By.id("login:password")).sendKeys("not the password");
        browser.findElement(By.id("login:submit")).click();
        assertEquals("Wrong username or password.", browser.findElement(By.id("login-error")).getText());
        assertEquals("", browser.findElement(By.id("login:password")).getAttribute("value"), "the password is not sent back");
        browser.findElement(By.id("login:username")).clear();
        browser.findElement(By.id("login:username")).sendKeys(name);
        browser.findElement(By.id("login:password")).sendKeys(Http.USER_PASSWORD);
        browser.findElement(By.id("login:submit")).click();
        Browser.waiting(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("datasets/view.xhtml"));

        // a viewer sees the dataset's columns and uploads, never its rows' values
        assertEquals(name, browser.findElement(By.id("whoami")).getText());
        assertTrue(browser.getPageSource().contains("Columns"));
        assertFalse(browser.getPageSource().contains("secret.person@example.com"), "no sample rows for a viewer");
        assertTrue(browser.findElements(By.linkText("Users")).isEmpty(), "no admin pages in a viewer's menu");
        Browser.screenshot(browser, "viewer-dataset");

        // the user menu: change the password
        browser.findElement(By.cssSelector("#usermenu summary")).click();
        browser.findElement(By.id("account-link")).click();
        browser.findElement(By.id("password:current")).sendKeys(Http.USER_PASSWORD);
        browser.findElement(By.id("password:new")).sendKeys("a-brand-new-password");
        browser.findElement(By.id("password:repeat")).sendKeys("a-brand-new-password");
        browser.findElement(By.id("password:change")).click();
        // the page is replaced by the answer: wait for its message (the old page's list may still be found first)
        Browser.waiting(browser, Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("messages")).getText().contains("Your password is changed."));
        Browser.screenshot(browser, "account");

        // log out: the console is closed again
        browser.findElement(By.cssSelector("#usermenu summary")).click();
        browser.findElement(By.id("usermenu:logout")).click();
        Browser.waiting(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("login.xhtml?out="));
        assertTrue(browser.findElement(By.id("logged-out")).isDisplayed());
        browser.get(base + "segments/");
        assertTrue(browser.getCurrentUrl().contains("login.xhtml"), browser.getCurrentUrl());

        // the old password no longer works; the new one does
        Browser.login(browser, base, name, Http.USER_PASSWORD);
        assertTrue(browser.getCurrentUrl().contains("login.xhtml"), "the old password is refused");
        Browser.login(browser, base, name, "a-brand-new-password");
        assertEquals(name, browser.findElement(By.id("whoami")).getText());
        // a viewer's own change of password reaches the audit log, never the password
        var audit = admin.get("api/audit?limit=20").body();
        assertTrue(audit.contains("\"actor\":\"" + name + "\",\"action\":\"user_changed\""), audit);
        assertFalse(audit.contains("a-brand-new-password") || audit.contains(Http.USER_PASSWORD), audit);
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

    /**
     * 60 customers b01..b60: every third is in DE (some spelled "de"), ltv = 20 × n, plan
     * cycles free/pro/team/pro; signup in 2025 or 2026.
     */
    static String builderCsv() {
        StringBuilder csv = new StringBuilder("customer_id,country,ltv,plan,signup\n");
        String[] plans = {"free", "pro", "team", "pro"};
        for (int n = 1; n <= 60; n++) {
            String country = n % 3 == 0 ? (n % 2 == 0 ? "DE" : "de") : n % 3 == 1 ? "FR" : "";
            csv.append(String.format("b%02d,%s,%d,%s,%d-03-%02d%n", n, country, 20 * n, plans[n % 4],
                    n % 2 == 0 ? 2026 : 2025, n % 28 + 1));
        }
        return csv.toString();
    }

    /** The rows of {@link #builderCsv()} with country DE, ltv ≥ 100 and plan pro or team, counted in Java. */
    static long expectedGermanPaying(boolean anyCondition) {
        String[] plans = {"free", "pro", "team", "pro"};
        long count = 0;
        for (int n = 1; n <= 60; n++) {
            boolean de = n % 3 == 0;
            boolean rich = 20 * n >= 100;
            boolean paying = !plans[n % 4].equals("free");
            count += (anyCondition ? de || rich || paying : de && rich && paying) ? 1 : 0;
        }
        return count;
    }

    @Test
    void aMarketerBuildsASegmentWithALiveCountAndSavesIt() throws Exception {
        Path csv = Files.createTempFile("builder-customers", ".csv");
        Files.writeString(csv, builderCsv());
        browser.get(base + "datasets/upload.xhtml");
        browser.findElement(By.id("upload:file")).sendKeys(csv.toString());
        browser.findElement(By.id("upload:name")).sendKeys("Builder customers");
        browser.findElement(By.id("upload:read")).click();
        browser.findElement(By.id("confirm:apply")).click();
        assertTrue(browser.findElement(By.id("summary")).getText().matches("(?s).*\\b60\\s+inserted.*"));
        Http http = new Http(base);
        String datasetId = http.get("api/datasets").array().stream().map(JsonObject.class::cast)
                .filter(d -> d.getString("name").equals("Builder customers")).findFirst().orElseThrow().getString("id");

        browser.findElement(By.linkText("Segments")).click();
        browser.findElement(By.linkText("New segment")).click();
        choose("builder:dataset", "Builder customers");
        assertEquals("Complete condition 1 (choose a field) to see the count.", text("builder:preview").lines()
                .filter(l -> l.startsWith("Complete")).findFirst().orElse(""), "the preview says what it waits for");

        // condition 1: country is "de" (strings compare case-insensitively)
        choose("builder:rows:0:field", "country (string)");
        assertEquals(List.of("is", "is not", "contains", "does not contain", "starts with", "ends with",
                "is one of", "is none of", "is set", "is not set"), options("builder:rows:0:operator"),
                "a string field offers exactly the string operators");
        type("builder:rows:0:value", "de");
        assertEquals("20", count(), "the count follows the typing, without a page load");

        // condition 2: ltv at least "abc" is refused next to the row, then 100
        browser.findElement(By.id("builder:add")).click();
        settle();
        assertEquals("builder:rows:1:field", browser.switchTo().activeElement().getAttribute("id"),
                "the new row's field has the focus");
        choose("builder:rows:1:field", "ltv (number)");
        assertEquals(List.of("is", "is not", "is one of", "is none of", "is greater than", "is at least",
                "is less than", "is at most", "is between", "is set", "is not set"), options("builder:rows:1:operator"));
        choose("builder:rows:1:operator", "is at least");
        type("builder:rows:1:value", "abc");
        assertTrue(text("builder:rows:1:error").startsWith("Value: a number"), text("builder:rows:1:error"));
        assertEquals("", text("builder:rows:0:error"), "only the row at fault is marked");
        assertTrue(text("builder:preview").contains("Correct the conditions marked below"), text("builder:preview"));
        browser.findElement(By.id("builder:rows:1:value")).clear();
        type("builder:rows:1:value", "100");
        assertEquals("", text("builder:rows:1:error"), "the message goes once the value is right");

        // condition 3: plan is one of pro, team
        browser.findElement(By.id("builder:add")).click();
        settle();
        choose("builder:rows:2:field", "plan (string)");
        choose("builder:rows:2:operator", "is one of");
        type("builder:rows:2:list", "pro\nteam");

        // Enter in a text box must not press a button (the first one would remove a row)
        type("builder:rows:0:value", Keys.ENTER.toString());
        assertEquals(3, browser.findElements(By.cssSelector("li.condition")).size());

        String conditions = "[{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"de\"},"
                + "{\"field\": \"ltv\", \"operator\": \"gte\", \"value\": 100},"
                + "{\"field\": \"plan\", \"operator\": \"in\", \"value\": [\"pro\", \"team\"]}]";
        var api = http.json("POST", "api/segments/preview", "{\"datasetId\": \"" + datasetId
                + "\", \"logic\": \"AND\", \"conditions\": " + conditions + "}");
        assertEquals(200, api.status(), api.body());
        long apiCount = api.json().getJsonNumber("count").longValue();
        assertEquals(expectedGermanPaying(false), apiCount);
        assertEquals(String.valueOf(apiCount), count(), "the console's count is the API's");
        assertEquals(api.json().getJsonArray("sample").stream().map(r -> r.asJsonObject().getString("key")).toList(),
                browser.findElements(By.cssSelector("#sampleRows tbody tr td:first-child")).stream()
                        .map(WebElement::getText).toList(), "the API's sample rows are shown beneath the count");
        assertTrue(text("previewScope").contains("among all 60 rows"), text("previewScope"));

        browser.findElement(By.id("builder:name")).sendKeys("German paying customers");
        Browser.screenshot(browser, "segment-builder");
        browser.findElement(By.id("builder:save")).click();

        assertTrue(browser.findElement(By.className("notice")).getText().contains("German paying customers"));
        WebElement link = browser.findElement(By.linkText("German paying customers"));
        JsonObject saved = http.get("api/segments").array().stream().map(JsonObject.class::cast)
                .filter(x -> x.getString("name").equals("German paying customers")).findFirst().orElseThrow();
        assertEquals(datasetId, saved.getString("datasetId"));
        assertEquals("AND", saved.getString("logic"));
        assertEquals(http.json("POST", "api/segments/preview", "{\"datasetId\": \"" + datasetId
                + "\", \"logic\": \"AND\", \"conditions\": " + conditions + "}").json(),
                http.json("POST", "api/segments/preview", "{\"datasetId\": \"" + datasetId
                + "\", \"logic\": \"AND\", \"conditions\": " + saved.getJsonArray("conditions") + "}").json(),
                "the saved conditions select the same rows as the ones built");
        JsonArray savedConditions = saved.getJsonArray("conditions");
        assertEquals(100, savedConditions.getJsonObject(1).getJsonNumber("value").intValue(), "a number is stored as a number");
        Browser.screenshot(browser, "segments-list");

        // its page: the timer's run makes it live with the members the preview counted
        link.click();
        Browser.waiting(browser, Duration.ofSeconds(40)).pollingEvery(Duration.ofMillis(500))
                .withMessage("the members appear on the segment's page").until(d -> {
                    if (d.findElement(By.id("memberCount")).getText().equals(String.valueOf(apiCount))) {
                        return true;
                    }
                    d.navigate().refresh();
                    return false;
                });
        // the count may have arrived live (the page updates it in place): the member list needs a reload
        browser.navigate().refresh();
        assertEquals(String.valueOf(apiCount), browser.findElement(By.id("memberCount")).getText());
        assertEquals("live", browser.findElement(By.cssSelector("h1 .badge")).getText());
        assertEquals(apiCount, browser.findElements(By.cssSelector("#members tbody tr")).size());
        assertTrue(browser.findElement(By.id("changes")).getText().contains("entered"));
        Browser.screenshot(browser, "segment-page");
        browser.findElement(By.id("prefix")).sendKeys("b4");
        browser.findElement(By.id("prefix")).submit();
        assertTrue(browser.findElements(By.cssSelector("#members tbody tr")).stream()
                .allMatch(r -> r.getText().startsWith("b4")), "the search narrows the members to keys starting with b4");

        // open the builder again: it shows the segment as saved; switching to OR recounts
        browser.findElement(By.linkText("Edit segment")).click();
        assertEquals("pro\nteam", browser.findElement(By.id("builder:rows:2:list")).getAttribute("value"));
        assertEquals("is at least", new Select(browser.findElement(By.id("builder:rows:1:operator")))
                .getFirstSelectedOption().getText());
        assertEquals(String.valueOf(apiCount), count());
        browser.findElement(By.cssSelector("input[value=OR]")).click();
        settle();
        assertEquals(String.valueOf(expectedGermanPaying(true)), count());
        browser.findElement(By.id("builder:save")).click();
        assertTrue(browser.findElement(By.className("notice")).isDisplayed());
        assertEquals("OR", http.get("api/segments/" + saved.getString("id")).json().getString("logic"));
    }

    /** Picks an option by its text and waits for the update it causes. */
    /**
     * The dashboard follows the data by itself: an upload through the API changes a segment's
     * count on the open page without a reload, and the segment's page (count and chart) too.
     */
    /**
     * The builder nests: (country is DE and ltv at least 200) or (country is AT and plan is pro),
     * built with the group buttons (one move made from the keyboard), counted as the API counts
     * it, saved; then a segment "in the first but not in VIPs" built from the two segments.
     */
    @Test
    void aMarketerBuildsGroupsAndASegmentFromSegments() {
        Http http = new Http(base);
        StringBuilder csv = new StringBuilder("id,country,ltv,plan,vip\n");
        long twoMarkets = 0;
        long withoutVips = 0;
        for (int n = 1; n <= 40; n++) {
            boolean de = n % 2 == 1;
            boolean pro = n % 4 == 0;
            boolean vip = n % 5 == 0;
            csv.append(String.format("n%02d,%s,%d,%s,%s%n", n, de ? "DE" : "AT", 10 * n, pro ? "pro" : "free", vip));
            boolean member = de && 10 * n >= 200 || !de && pro;
            twoMarkets += member ? 1 : 0;
            withoutVips += member && !vip ? 1 : 0;
        }
        var upload = http.csv("api/datasets?name=Nested%20customers", csv.toString());
        assertEquals(201, upload.status(), upload.body());
        String datasetId = upload.json().getString("datasetId");
        assertEquals(201, http.json("POST", "api/segments", "{\"name\": \"VIPs\", \"datasetId\": \"" + datasetId
                + "\", \"conditions\": [{\"field\": \"vip\", \"operator\": \"eq\", \"value\": true}]}").status());

        browser.get(base + "segments/edit.xhtml");
        choose("builder:dataset", "Nested customers");
        choose("builder:rows:0:field", "country (string)");
        type("builder:rows:0:value", "DE");
        // the condition goes into a group of its own, which gets a second condition
        click("builder:rows:0:moveIn");
        assertEquals(List.of("group-head", "condition"), lineKinds());
        choose("builder:rows:0:groupLogic", "all of (AND)");
        click("builder:rows:0:addToGroup");
        choose("builder:rows:2:field", "ltv (number)");
        choose("builder:rows:2:operator", "is at least");
        // a bad value inside a group is explained next to it
        type("builder:rows:2:value", "abc");
        assertTrue(text("builder:rows:2:error").startsWith("Value: a number"), text("builder:rows:2:error"));
        assertEquals("", text("builder:rows:1:error"));
        retry(() -> {
            browser.findElement(By.id("builder:rows:2:value")).clear();
            return null;
        });
        type("builder:rows:2:value", "200");
        assertEquals("", text("builder:rows:2:error"), "the message goes once the value is right");
        // a second group: country is AT and plan is pro
        click("builder:addGroup");
        assertEquals(List.of("group-head", "condition", "condition", "group-head", "condition"), lineKinds());
        choose("builder:rows:3:groupLogic", "all of (AND)");
        choose("builder:rows:4:field", "country (string)");
        type("builder:rows:4:value", "AT");
        click("builder:rows:3:addToGroup");
        choose("builder:rows:5:field", "plan (string)");
        type("builder:rows:5:value", "pro");
        browser.findElement(By.cssSelector("input[value=OR]")).click();
        settle();
        // from the keyboard: the last condition out of its group and back in
        browser.findElement(By.id("builder:rows:5:moveOut")).sendKeys(Keys.ENTER);
        settle();
        assertEquals(List.of("depth-0", "depth-1", "depth-1", "depth-0", "depth-1", "depth-0"), lineDepths());
        browser.findElement(By.id("builder:rows:5:moveIn")).sendKeys(Keys.ENTER);
        settle();
        assertEquals(List.of("depth-0", "depth-1", "depth-1", "depth-0", "depth-1", "depth-1"), lineDepths());

        String rule = "{\"datasetId\": \"" + datasetId + "\", \"logic\": \"OR\", \"conditions\": ["
                + "{\"logic\": \"AND\", \"conditions\": [{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"DE\"}, "
                + "{\"field\": \"ltv\", \"operator\": \"gte\", \"value\": 200}]}, "
                + "{\"logic\": \"AND\", \"conditions\": [{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"AT\"}, "
                + "{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}]}]}";
        var api = http.json("POST", "api/segments/preview", rule);
        assertEquals(200, api.status(), api.body());
        assertEquals(twoMarkets, api.json().getInt("count"));
        assertEquals(String.valueOf(twoMarkets), count(), "the console counts the groups as the API does");
        browser.findElement(By.id("builder:name")).sendKeys("Two markets");
        Browser.screenshot(browser, "segment-builder-groups");
        browser.findElement(By.id("builder:save")).click();
        assertTrue(browser.findElement(By.className("notice")).getText().contains("Two markets"));
        // other tests may have segments of the same name: this dataset's
        JsonObject saved = http.get("api/segments").array().stream().map(JsonObject.class::cast)
                .filter(x -> x.getString("name").equals("Two markets") && x.getString("datasetId").equals(datasetId))
                .findFirst().orElseThrow();
        assertEquals("OR", saved.getString("logic"));
        assertEquals(List.of("AND", "AND"), saved.getJsonArray("conditions").stream()
                .map(c -> c.asJsonObject().getString("logic")).toList(), "saved as two groups");

        // a segment from segments: in Two markets but not in VIPs
        browser.get(base + "segments/edit.xhtml");
        choose("builder:dataset", "Nested customers");
        choose("builder:rows:0:field", "the row (membership of a segment)");
        assertEquals(List.of("is a member of", "is not a member of"), options("builder:rows:0:operator"));
        choose("builder:rows:0:segment", "Two markets");
        click("builder:add");
        choose("builder:rows:1:field", "the row (membership of a segment)");
        choose("builder:rows:1:operator", "is not a member of");
        choose("builder:rows:1:segment", "VIPs");
        assertEquals(String.valueOf(withoutVips), count());
        String vips = http.get("api/segments").array().stream().map(JsonObject.class::cast)
                .filter(x -> x.getString("name").equals("VIPs") && x.getString("datasetId").equals(datasetId))
                .findFirst().orElseThrow().getString("id");
        var fromSegments = http.json("POST", "api/segments/preview", "{\"datasetId\": \"" + datasetId + "\", \"conditions\": ["
                + "{\"segment\": \"" + saved.getString("id") + "\", \"operator\": \"in\"}, "
                + "{\"segment\": \"" + vips + "\", \"operator\": \"not_in\"}]}");
        assertEquals(200, fromSegments.status(), fromSegments.body());
        assertEquals(String.valueOf(fromSegments.json().getInt("count")), count(), "the console's count is the API's");
        browser.findElement(By.id("builder:name")).sendKeys("Two markets without VIPs");
        browser.findElement(By.id("builder:save")).click();
        browser.findElement(By.linkText("Two markets without VIPs")).click();
        assertEquals("Members are the rows where member of “Two markets” and not a member of “VIPs”",
                browser.findElement(By.id("ruleText")).getText());
        long expectedMembers = withoutVips;
        Browser.waiting(browser, Duration.ofSeconds(40))
                .pollingEvery(Duration.ofMillis(500)).withMessage("the members appear").until(d -> {
                    if (d.findElement(By.id("memberCount")).getText().equals(String.valueOf(expectedMembers))) {
                        return true;
                    }
                    d.navigate().refresh();
                    return false;
                });
        Browser.screenshot(browser, "segment-from-segments");
        assertEquals(String.valueOf(expectedMembers), browser.findElement(By.id("memberCount")).getText());
    }

    void click(String id) {
        retry(() -> {
            browser.findElement(By.id(id)).click();
            return null;
        });
        settle();
    }

    List<String> lineKinds() {
        return retry(() -> browser.findElements(By.cssSelector("ol.conditions > li")).stream()
                .map(li -> li.getAttribute("class").split(" ")[0]).toList());
    }

    List<String> lineDepths() {
        return retry(() -> browser.findElements(By.cssSelector("ol.conditions > li")).stream()
                .map(li -> li.getAttribute("class").split(" ")[1]).toList());
    }

    @Test
    void theDashboardFollowsAnUploadWithoutAReload() throws Exception {
        Http http = new Http(base);
        var upload = http.csv("api/datasets?name=Dashboard&key=id", "id,plan\nd1,pro\nd2,pro\nd3,free\n");
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");
        var created = http.json("POST", "api/segments", "{\"name\": \"Dashboard pro\", \"datasetId\": \"" + dataset
                + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}]}");
        assertEquals(201, created.status(), created.body());
        String segment = created.json().getString("id");

        browser.get(base.toString());
        By count = By.cssSelector("tr[data-id='" + segment + "'] [data-live-field=memberCount]");
        Browser.waiting(browser, Duration.ofSeconds(60)).until(d -> d.findElement(count).getText().equals("2"));
        assertEquals("live", browser.findElement(By.cssSelector("tr[data-id='" + segment + "'] .badge")).getText());
        browser.executeScript("window.segmatchNoReload = true;");

        // 120 more rows, 60 of them "pro", uploaded while the page stays open
        StringBuilder more = new StringBuilder("id,plan\n");
        for (int i = 4; i < 124; i++) {
            more.append('d').append(i).append(',').append(i % 2 == 0 ? "pro" : "free").append('\n');
        }
        assertEquals(200, http.csv("api/datasets/" + dataset + "/uploads?mode=upsert", more.toString()).status());
        Browser.waiting(browser, Duration.ofSeconds(60)).until(d -> d.findElement(count).getText().equals("62"));
        assertEquals(Boolean.TRUE, browser.executeScript("return window.segmatchNoReload === true;"),
                "the count changed without a reload");
        assertEquals("62", String.valueOf(http.get("api/segments/" + segment).json().getJsonNumber("memberCount")));
        assertEquals("live", browser.findElement(By.cssSelector("[data-live-connection]")).getText());
        long rows = http.get("api/datasets").array().stream().mapToLong(d -> d.asJsonObject().getJsonNumber("rowCount").longValue()).sum();
        Browser.waiting(browser, Duration.ofSeconds(5)).until(d -> d.findElement(By.cssSelector("[data-live-field=rows]"))
                .getText().equals(String.format(Locale.ENGLISH, "%,d", rows)));
        assertTrue(browser.findElement(By.cssSelector("tr[data-id='" + segment + "'] [data-live-field=lastEvaluatedAt] time"))
                .getText().equals("just now"));
        Browser.screenshot(browser, "dashboard");

        // the segment's page: the chart shows both runs; another change updates count and chart in place
        browser.findElement(By.linkText("Dashboard pro")).click();
        WebElement chart = browser.findElement(By.cssSelector("img[data-live-chart]"));
        Browser.waiting(browser, Duration.ofSeconds(10)).until(d -> ((Number) browser.executeScript(
                "return arguments[0].complete ? arguments[0].naturalWidth : 0;", chart)).intValue() == 720);
        assertTrue(chart.getAttribute("alt").contains("from 0 to 62 (62 entered, 0 left)"), chart.getAttribute("alt"));
        assertEquals(2, browser.findElements(By.cssSelector("#history tbody tr")).size());
        assertEquals(50, browser.findElements(By.cssSelector("#members tbody tr")).size(), "the first 50 of 62 members");
        assertTrue(browser.findElement(By.id("nextPage")).getAttribute("href").matches(".*after=d\\d+.*"));
        String before = chart.getAttribute("src");
        browser.executeScript("window.segmatchNoReload = true;");
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset + "/rows/d1", "{\"plan\": \"free\"}").status());
        Browser.waiting(browser, Duration.ofSeconds(60)).until(d -> d.findElement(By.id("memberCount")).getText().equals("61"));
        Browser.waiting(browser, Duration.ofSeconds(10)).until(d -> !chart.getAttribute("src").equals(before));
        Browser.waiting(browser, Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("#history tbody tr")).size() == 3);
        assertEquals("61", browser.findElement(By.cssSelector("#history tbody tr td:last-child")).getText(),
                "the newest run first, with the count after it");
        assertTrue(browser.findElement(By.cssSelector("figure.chart figcaption")).getText()
                .contains("from 0 to 61 (62 entered, 1 left)"));
        assertEquals(Boolean.TRUE, browser.executeScript("return window.segmatchNoReload === true;"));
        Browser.screenshot(browser, "segment-chart");
        String svg = http.get("api/segments/" + segment + "/history.svg").body();
        assertTrue(svg.startsWith("<svg") && svg.contains("1 left, 61 members"), svg);
    }

    /** An administrator forgets a person from the Data lifecycle page, and sees the request complete. */
    @Test
    void anAdministratorForgetsAPersonFromTheConsole() throws Exception {
        Http http = new Http(base);
        var upload = http.csv("api/datasets?name=Forget&key=id", "id,email,plan\nf1,forget.me@example.com,pro\nf2,keep@example.com,pro\n");
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");

        browser.get(base + "admin/data.xhtml");
        new Select(browser.findElement(By.id("erase:matchBy"))).selectByVisibleText("email");
        browser.findElement(By.id("erase:value")).sendKeys(" Forget.Me@EXAMPLE.com");
        browser.executeScript("window.confirm = function () { return true; };"); // the "are you sure?" answered yes
        browser.findElement(By.id("erase:submit")).click();
        // the form's answer replaces the page: an element found just before it may be gone (stale)
        Browser.waiting(browser, Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("messages")).getText().contains("1 row(s) erased in 1 dataset(s)"));
        assertEquals(404, http.get("api/datasets/" + dataset + "/rows/f1").status());
        assertEquals(200, http.get("api/datasets/" + dataset + "/rows/f2").status());
        assertTrue(browser.findElement(By.id("erasures")).getText().contains("email"));
        assertFalse(browser.getPageSource().toLowerCase(Locale.ROOT).contains("forget.me"),
                "the page never shows the person's data once submitted");
        Browser.screenshot(browser, "data-lifecycle");

        // the request completes by itself; the page shows it after a reload
        Browser.waiting(browser, Duration.ofSeconds(90)).pollingEvery(Duration.ofSeconds(2)).until(d -> {
            d.navigate().refresh();
            return d.findElement(By.id("erasures")).getText().contains("done");
        });
        browser.findElement(By.id("purge:now")).click();
        Browser.waiting(browser, Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("messages")).getText().startsWith("History purged:"));
        assertTrue(browser.findElement(By.id("lastPurge")).getText().contains("asked by admin"));
    }

    /**
     * An administrator stores the Meta token on the Meta page (never shown again), tests the
     * connection, and switches a segment's Meta destination on from its page: the members reach
     * the audience and the page's Meta history says so.
     */
    @Test
    void anAdministratorConnectsMetaAndActivatesASegmentToIt() throws Exception {
        Http http = new Http(base);
        var upload = http.csv("api/datasets?name=ConsoleMeta&key=id", "id,email,plan\nm1,ada@example.com,pro\n"
                + "m2,bob@example.com,pro\nm3,cy@example.com,free\n");
        assertEquals(201, upload.status(), upload.body());
        String dataset = upload.json().getString("datasetId");
        assertEquals(200, http.json("PATCH", "api/datasets/" + dataset, "{\"identifiers\": {\"email\": \"email\"}}").status());
        var created = http.json("POST", "api/segments", "{\"name\": \"Console Meta\", \"datasetId\": \"" + dataset
                + "\", \"logic\": \"AND\", \"conditions\": [{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}]}");
        assertEquals(201, created.status(), created.body());
        String segment = created.json().getString("id");

        browser.get(base + "meta.xhtml");
        assertEquals("act_" + FakeMeta.AD_ACCOUNT, text("meta-account"));
        browser.findElement(By.id("token-form:token")).sendKeys(FakeMeta.TOKEN);
        browser.findElement(By.id("token-form:store")).click();
        Browser.waiting(browser, Duration.ofSeconds(20))
                .until(d -> !d.findElements(By.id("stored-notice")).isEmpty());
        assertEquals("connected", text("meta-state"));
        assertFalse(browser.getPageSource().contains(FakeMeta.TOKEN), "the token is never shown again");
        browser.findElement(By.id("actions:test")).click();
        Browser.waiting(browser, Duration.ofSeconds(30))
                .until(d -> !d.findElements(By.id("test-result")).isEmpty());
        assertTrue(text("test-result").contains("Custom Audience terms of ad account act_" + FakeMeta.AD_ACCOUNT
                + " are accepted"), text("test-result"));
        Browser.screenshot(browser, "meta");

        browser.get(base + "segments/view.xhtml?id=" + segment);
        assertTrue(text("destination-meta").contains("off"), text("destination-meta"));
        browser.findElement(By.id("activation:meta")).click();
        browser.findElement(By.id("activation:save-activation")).click();
        Browser.waiting(browser, Duration.ofSeconds(20))
                .until(d -> !d.findElements(By.id("activation-saved")).isEmpty());
        assertTrue(text("destination-meta").contains("on"), text("destination-meta"));
        assertTrue(text("destination-google").contains("off"), "Google stays as it was: " + text("destination-google"));
        JsonObject activation = http.get("api/segments/" + segment).json().getJsonObject("activation");
        assertTrue(activation.getJsonObject("meta").getBoolean("enabled"), activation.toString());
        assertEquals(1, http.get("api/audit?limit=20").array().stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("action").equals("activation_changed") && segment.equals(e.getString("target", null)))
                .count(), "the change is audited once");
        String audience = ProcessingIT.await(() -> http.get("api/segments/" + segment).json().getJsonObject("activation")
                .getJsonObject("meta"), m -> !m.isNull("audienceId"), "the audience").getString("audienceId");
        ProcessingIT.await(() -> MicroDatabase.meta.members(audience).size(), n -> n == 2, "m1 and m2 in the audience");
        Browser.waiting(browser, Duration.ofSeconds(60))
                .pollingEvery(Duration.ofSeconds(1)).until(d -> {
                    d.navigate().refresh();
                    return !d.findElements(By.id("metaSyncs")).isEmpty()
                            && d.findElement(By.id("metaSyncs")).getText().contains("2 added to the audience.");
                });
        Browser.screenshot(browser, "segment-meta");

        // the stored token is forgotten again, and the segment's audience emptied, for the other tests
        assertEquals(204, http.delete("api/activation/meta").status());
        assertEquals(204, http.delete("api/segments/" + segment).status());
        ProcessingIT.await(() -> MicroDatabase.meta.members(audience).size(), n -> n == 0, "the audience to be emptied");
    }

    @Test
    void theApiPageShowsEveryOperationAndTriesOneAsTheLoggedInUser() {
        JsonObject contract = new Http(base).get("openapi?format=JSON").json();
        long operations = contract.getJsonObject("paths").values().stream()
                .flatMap(item -> item.asJsonObject().keySet().stream())
                .filter(key -> List.of("get", "put", "post", "patch", "delete").contains(key)).count();
        browser.findElement(By.linkText("API")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector(".opblock")).size() == operations);

        // GET /api/me, tried from the page: the console's session is the caller
        WebElement me = browser.findElement(By.xpath(
                "//span[@data-path='/api/me']/ancestor::div[contains(@class, 'opblock-get')]"));
        me.findElement(By.cssSelector(".opblock-summary-path")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !me.findElements(By.cssSelector(".try-out__btn")).isEmpty());
        me.findElement(By.cssSelector(".try-out__btn")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !me.findElements(By.cssSelector("button.execute")).isEmpty());
        me.findElement(By.cssSelector("button.execute")).click();
        WebElement answer = new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> {
            List<WebElement> live = me.findElements(By.cssSelector(".live-responses-table .response"));
            return live.isEmpty() ? null : live.get(0);
        });
        assertEquals("200", answer.findElement(By.cssSelector(".response-col_status")).getText().strip());
        assertTrue(answer.getText().contains("\"username\": \"admin\""), answer.getText());
        Browser.screenshot(browser, "api");
    }

    void choose(String id, String option) {
        retry(() -> {
            new Select(browser.findElement(By.id(id))).selectByVisibleText(option);
            return null;
        });
        settle();
    }

    void type(String id, String keys) {
        retry(() -> {
            browser.findElement(By.id(id)).sendKeys(keys);
            return null;
        });
        settle();
    }

    List<String> options(String id) {
        return retry(() -> new Select(browser.findElement(By.id(id))).getOptions().stream().map(WebElement::getText).toList());
    }

    String text(String id) {
        return retry(() -> browser.findElement(By.id(id)).getText());
    }

    String count() {
        return text("previewCount");
    }

    /** Waits until the console has no request in flight, nor one waiting for the pause after typing. */
    void settle() {
        Browser.waiting(browser, Duration.ofSeconds(15)).until(d ->
                Long.valueOf(0).equals(browser.executeScript("return window.segmatch ? segmatch.pending() : 0")));
    }

    /** An element may be replaced by an Ajax update between finding and using it: try again. */
    <T> T retry(Supplier<T> action) {
        for (int attempt = 0; ; attempt++) {
            try {
                return action.get();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
                settle();
            }
        }
    }
}
