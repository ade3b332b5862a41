package io.damselfly.dfdaemon.ops;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium driven through its own chromedriver (Debian packages {@code chromium} and
 * {@code chromium-driver}); nothing is downloaded. Each browser gets a fresh profile directory.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts a browser; fails, saying how to install one, when Chromium or its driver is missing. */
  static Browser start(Path profile) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      boolean root = "root".equals(System.getProperty("user.name"));
      throw new AssertionError("the dashboard test needs " + CHROMIUM + " and " + CHROMEDRIVER + ": "
          + (root ? "run bin/test, which installs the Debian packages chromium and chromium-driver"
              : "run bin/test as root (it installs the Debian packages chromium and chromium-driver), or "
                  + "sudo apt-get install chromium chromium-driver"));
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1100",
        "--user-data-dir=" + Files.createDirectories(profile).toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options));
  }

  void open(String url) {
    driver.get(url);
  }

  /** Runs {@code script} in the page and returns its value. */
  Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  long number(String script) {
    Object v = js(script);
    return v == null ? -1 : ((Number) v).longValue();
  }

  String text(String cssSelector) {
    Object v = js("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;".replace(
        "arguments[0]", "'" + cssSelector.replace("'", "\\'") + "'"));
    return v == null ? "" : v.toString();
  }

  /** Polls until {@code condition} holds, at most {@code limit}; true when it did. */
  static boolean await(Supplier<Boolean> condition, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (condition.get()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.get();
  }

  void screenshot(Path png) throws IOException {
    Files.createDirectories(png.getParent());
    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
