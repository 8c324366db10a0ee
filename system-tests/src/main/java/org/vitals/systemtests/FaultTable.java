package org.vitals.systemtests;

import java.util.ArrayList;
import java.util.List;

/**
 * The fault suite's result: one row per fault (and rows for the time around the faults, which count
 * towards the totals but not as faults), rendered as a table, and the summary line of the contract:
 * {@code faults: N, readings acknowledged: A, lost: L, doubled: D}.
 */
public final class FaultTable {

  /** One row; {@code alertOk} is null where no alert was asked for. */
  public record Row(String name, boolean fault, Tally tally, Boolean alertOk, String note) {}

  private final List<Row> rows = new ArrayList<>();

  public void add(Row row) {
    rows.add(row);
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public long faults() {
    return rows.stream().filter(Row::fault).count();
  }

  public long acknowledged() {
    return rows.stream().mapToLong(r -> r.tally().acked()).sum();
  }

  public long lost() {
    return rows.stream().mapToLong(r -> r.tally().lost()).sum();
  }

  public long doubled() {
    return rows.stream().mapToLong(r -> r.tally().doubled()).sum();
  }

  /** No reading lost or doubled, and every alert that was asked for came. */
  public boolean passed() {
    return lost() == 0
        && doubled() == 0
        && rows.stream().noneMatch(r -> Boolean.FALSE.equals(r.alertOk()));
  }

  /** The contract's last line. */
  public String summary() {
    return String.format(
        "faults: %d, readings acknowledged: %d, lost: %d, doubled: %d",
        faults(), acknowledged(), lost(), doubled());
  }

  /**
   * The line printed after a fault's phase has settled (at most {@code settleSeconds}): readings
   * not stored by then are "not stored yet", not lost; the final count decides what was lost.
   */
  public static String phaseLine(String name, Tally t, int settleSeconds) {
    String stored =
        t.lost() == 0
            ? "stored " + t.stored() + " (every acknowledged reading)"
            : "stored "
                + t.stored()
                + ", not stored yet "
                + t.lost()
                + " after "
                + settleSeconds
                + " s (the final count decides)";
    return String.format(
        "%s: sent %d, acknowledged %d, %s, doubled %d; publish to stored %s",
        name, t.sent(), t.acked(), stored, t.doubled(), t.latency().summary());
  }

  /** A fixed-width table with a header, one line per row and a total line. */
  public String render() {
    String[] head = {
      "fault",
      "sent",
      "acknowledged",
      "stored",
      "lost",
      "doubled",
      "alert ok",
      "p99 stored",
      "max stored"
    };
    List<String[]> lines = new ArrayList<>();
    lines.add(head);
    long sent = 0, stored = 0;
    for (Row r : rows) {
      Tally t = r.tally();
      sent += t.sent();
      stored += t.stored();
      lines.add(
          new String[] {
            r.name(),
            Long.toString(t.sent()),
            Long.toString(t.acked()),
            Long.toString(t.stored()),
            Long.toString(t.lost()),
            Long.toString(t.doubled()),
            r.alertOk() == null ? "-" : (r.alertOk() ? "yes" : "NO"),
            t.latency().count() == 0 ? "-" : t.latency().at(99) + " ms",
            t.latency().count() == 0 ? "-" : t.latency().max() + " ms"
          });
    }
    lines.add(
        new String[] {
          "total",
          Long.toString(sent),
          Long.toString(acknowledged()),
          Long.toString(stored),
          Long.toString(lost()),
          Long.toString(doubled()),
          "",
          "",
          ""
        });
    int[] w = new int[head.length];
    for (String[] l : lines) {
      for (int i = 0; i < l.length; i++) {
        w[i] = Math.max(w[i], l[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int n = 0; n < lines.size(); n++) {
      String[] l = lines.get(n);
      if (n == lines.size() - 1 || n == 1) {
        appendRule(sb, w);
      }
      for (int i = 0; i < l.length; i++) {
        if (i == 0) {
          sb.append(String.format("%-" + w[i] + "s", l[i]));
        } else {
          sb.append("  ").append(String.format("%" + w[i] + "s", l[i]));
        }
      }
      sb.append('\n');
    }
    for (Row r : rows) {
      if (r.note() != null && !r.note().isBlank()) {
        sb.append("  ").append(r.name()).append(": ").append(r.note()).append('\n');
      }
    }
    return sb.toString();
  }

  private static void appendRule(StringBuilder sb, int[] w) {
    int total = 0;
    for (int x : w) {
      total += x;
    }
    sb.append("-".repeat(total + 2 * (w.length - 1))).append('\n');
  }
}
