package io.fedsearch.web.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian driven by Debian's chromedriver: both paths are given, so Selenium Manager never
 * looks for (or downloads) a browser or driver. A fresh profile per run; screenshots go to
 * {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;
  private final Path screenshots;

  Browser(Path profile) throws Exception {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver ("
          + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install chromium chromium-driver (.ci/run does)");
    }
    this.profile = profile;
    this.screenshots = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
    Files.createDirectories(screenshots);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-default-apps", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1000",
        "--lang=en-US");
    // The network and console as the page saw them, for tests that check what a page sends (WalletBrowserTest).
    org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
    logs.enable(org.openqa.selenium.logging.LogType.PERFORMANCE, java.util.logging.Level.ALL);
    logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    this.service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(30))
        .build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(40));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
  }

  /** Saves a screenshot of the whole page (as tall as its content) as {@code target/screenshots/<name>.png}. */
  Path screenshot(String name) throws Exception {
    Dimension before = driver.manage().window().getSize();
    Object height = driver.executeScript("return Math.min(6000, document.documentElement.scrollHeight)");
    int h = Math.max(before.getHeight(), ((Number) height).intValue() + 140);
    driver.manage().window().setSize(new Dimension(before.getWidth(), h));
    File shot = driver.getScreenshotAs(OutputType.FILE);
    driver.manage().window().setSize(before);
    Path to = screenshots.resolve(name + ".png");
    Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    return to;
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
