package org.vitals.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process the suite started: its output appends to {@code logs/<name>.log}, its pid is
 * written to the work folder's {@code pids} file (scripts/fault-suite's exit trap stops whatever is
 * left of it). Stopped by its own pid only.
 */
final class Proc {
  final String name;
  final List<String> command;
  final Map<String, String> env;
  private final Path work;
  private Process process;

  Proc(Path work, String name, List<String> command, Map<String, String> env) {
    this.work = work;
    this.name = name;
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
  }

  Path log() {
    return work.resolve("logs").resolve(name + ".log");
  }

  synchronized Proc start() throws IOException {
    Files.createDirectories(log().getParent());
    ProcessBuilder pb = new ProcessBuilder(command);
    if (!env.isEmpty()) { // the given environment only
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    process = pb.start();
    Files.writeString(
        work.resolve("pids"),
        name + " " + process.pid() + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    return this;
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, and wait for the exit. */
  synchronized void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, wait up to {@code seconds}, then SIGKILL. */
  synchronized void stop(int seconds) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Sends a signal by name (STOP, CONT) with kill(1). */
  void signal(String sig) throws IOException, InterruptedException {
    long pid = pid();
    if (pid <= 0) {
      throw new IllegalStateException(name + " is not running");
    }
    run(List.of("kill", "-" + sig, Long.toString(pid)), 10);
  }

  /** The last lines of the log, for failure messages. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Runs a short command to its end; its output, or an exception naming the command. */
  static String run(List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> out = new ArrayList<>();
    try (var r = p.inputReader(StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        out.add(line);
      }
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(
          String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command)
              + " failed (exit "
              + p.exitValue()
              + "): "
              + String.join("\n", out));
    }
    return String.join("\n", out);
  }
}
