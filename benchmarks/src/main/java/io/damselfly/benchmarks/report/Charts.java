package io.damselfly.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of the lab's runs, drawn with XChart (headless). */
public final class Charts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private Charts() {}

  /**
   * Completion curves of the runs at one N: hosts finished (y) against seconds from the start (x), one
   * step line per system, with the fluid bound T* as a vertical line.
   */
  public static void completion(List<RunResult> runsAtN, Path png) throws IOException {
    if (runsAtN.isEmpty()) {
      throw new IllegalArgumentException("completion chart needs at least one run");
    }
    int n = runsAtN.get(0).n();
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Hosts holding the file, N = " + n).xAxisTitle("seconds since start").yAxisTitle("hosts done").build();
    style(chart);
    for (RunResult r : runsAtN) {
      List<Double> done = new ArrayList<>(r.hostSeconds().stream().filter(s -> !s.isNaN()).sorted().toList());
      if (done.isEmpty()) {
        continue;
      }
      List<Double> xs = new ArrayList<>(List.of(0.0));
      List<Double> ys = new ArrayList<>(List.of(0.0));
      for (int i = 0; i < done.size(); i++) {
        xs.add(done.get(i));
        ys.add((double) (i + 1));
      }
      XYSeries s = chart.addSeries(r.system(), xs, ys);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
      s.setMarker(SeriesMarkers.NONE);
    }
    double bound = runsAtN.get(0).bound();
    XYSeries b = chart.addSeries("fluid bound T*", List.of(bound, bound), List.of(0.0, (double) n));
    b.setMarker(SeriesMarkers.NONE);
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** T_last against N, one line per system, plus the fluid bound. Runs where a host failed are left out. */
  public static void lastVsN(List<RunResult> runs, Path png) throws IOException {
    Map<String, TreeMap<Integer, Double>> bySystem = new LinkedHashMap<>();
    TreeMap<Integer, Double> bound = new TreeMap<>();
    for (RunResult r : runs) {
      bound.put(r.n(), r.bound());
      double last = r.completion().last();
      if (!Double.isNaN(last)) {
        bySystem.computeIfAbsent(r.system(), k -> new TreeMap<>()).put(r.n(), last);
      }
    }
    if (bound.isEmpty()) {
      throw new IllegalArgumentException("T_last chart needs at least one run");
    }
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Time until the last host holds the file").xAxisTitle("hosts (N)").yAxisTitle("T_last (s)").build();
    style(chart);
    bySystem.forEach((system, points) -> chart.addSeries(system, List.copyOf(points.keySet()).stream()
        .map(Integer::doubleValue).toList(), List.copyOf(points.values())));
    chart.addSeries("fluid bound T*", bound.keySet().stream().map(Integer::doubleValue).toList(),
        List.copyOf(bound.values()));
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static void style(XYChart chart) {
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setYAxisMin(0.0);
  }
}
