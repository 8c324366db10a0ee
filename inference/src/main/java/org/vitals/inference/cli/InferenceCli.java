package org.vitals.inference.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of {@code inference-cli.jar}: dispatches to the named sub-command. */
public final class InferenceCli {

  /** Every command the jar offers, in the order the help lists them. */
  static List<CliCommand> commands() {
    return List.of(
        // Commands register here, one line each.
        new org.vitals.inference.ecg.cli.EvaluateEcgCommand(),
        new org.vitals.inference.ecg.cli.AnnotateEcgCommand(),
        new org.vitals.inference.ecg.cli.TrainEcgCommand(),
        new org.vitals.inference.glucose.EvaluateGlucoseCommand(),
        new org.vitals.inference.glucose.TrainGlucoseCommand(),
        new org.vitals.inference.spo2.EvaluateSpO2Command());
  }

  private InferenceCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, CliCommand> byName = new LinkedHashMap<>();
    for (CliCommand command : commands()) {
      byName.put(command.name(), command);
    }
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      printHelp(byName, out);
      return args.length == 0 ? 2 : 0;
    }
    CliCommand command = byName.get(args[0]);
    if (command == null) {
      err.println("Unknown command '" + args[0] + "'.");
      printHelp(byName, err);
      return 2;
    }
    try {
      return command.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    } catch (IllegalArgumentException e) {
      err.println(command.name() + ": " + e.getMessage());
      err.println("usage: " + command.usage());
      return 2;
    } catch (Exception e) {
      err.println(command.name() + " failed: " + e);
      return 1;
    }
  }

  private static void printHelp(Map<String, CliCommand> byName, PrintStream out) {
    out.println("usage: java -jar inference-cli.jar <command> [options]");
    for (CliCommand command : byName.values()) {
      out.println("  " + command.usage());
    }
  }
}
