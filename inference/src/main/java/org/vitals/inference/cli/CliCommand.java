package org.vitals.inference.cli;

import java.io.PrintStream;

/** One sub-command of the inference command line (for example {@code evaluate-ecg}). */
public interface CliCommand {

  /** The word that selects this command on the command line. */
  String name();

  /** One line that says what the command does and which options it takes. */
  String usage();

  /**
   * Runs the command.
   *
   * @return the process exit code: 0 on success, 2 for bad arguments, 1 for other failures
   */
  int run(String[] args, PrintStream out, PrintStream err) throws Exception;
}
