package org.vitals.inference.glucose;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Parses {@code --name value} and {@code --flag} options of a command; unknown ones are errors. */
public final class CommandArgs {

  private final Map<String, String> values = new HashMap<>();

  /** Parses args, accepting the given options with values and the given flags. */
  public CommandArgs(String[] args, Set<String> withValue, Set<String> flags) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (flags.contains(a)) {
        values.put(a, "true");
      } else if (withValue.contains(a)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        values.put(a, args[++i]);
      } else {
        throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
  }

  /** The value of an option, or null. */
  public String get(String name) {
    return values.get(name);
  }

  /** True if the flag was given. */
  public boolean flag(String name) {
    return values.containsKey(name);
  }

  /** An integer option with a default. */
  public int intValue(String name, int dflt) {
    String v = values.get(name);
    try {
      return v == null ? dflt : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
    }
  }

  /**
   * The shared data folder: {@code --data}, else system property {@code vitals.data.dir}, else env
   * {@code VITALS_SHARED_DATA}, else {@code ../shared/data}.
   */
  public Path dataDir() {
    String v = values.get("--data");
    if (v == null) {
      v = System.getProperty("vitals.data.dir");
    }
    if (v == null) {
      v = System.getenv("VITALS_SHARED_DATA");
    }
    return Path.of(v == null ? "../shared/data" : v);
  }
}
