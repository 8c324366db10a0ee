package org.vitals.inference.ecg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal {@code --name value} / {@code --flag} parsing for the ECG commands. */
final class Args {
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flags = new HashSet<>();

  Args(String[] args, Set<String> valueOptions, Set<String> flagOptions) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (valueOptions.contains(a)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        values.put(a, args[++i]);
      } else if (flagOptions.contains(a)) {
        flags.add(a);
      } else {
        throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
  }

  String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v;
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  Path path(String name) {
    return Path.of(required(name));
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  /** A comma-separated list, or null when the option is absent. */
  List<String> list(String name) {
    String v = values.get(name);
    if (v == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String s : Arrays.asList(v.split(","))) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(name + " lists no record");
    }
    return out;
  }
}
