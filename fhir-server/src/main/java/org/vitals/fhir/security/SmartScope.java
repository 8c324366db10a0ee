package org.vitals.fhir.security;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * One SMART resource scope, {@code (patient|user|system)/(Type|*).(cruds subset)}, in v2 syntax or
 * its v1 equivalent ({@code .read} = {@code .rs}, {@code .write} = {@code .cud}, {@code .*} =
 * {@code .cruds}), SMART App Launch 2.2 "Scopes and Launch Context". Granular {@code ?param=}
 * scopes are not supported and do not parse.
 */
public record SmartScope(Level level, String resourceType, Set<Interaction> interactions) {

  /** Whose data a scope reaches. */
  public enum Level {
    PATIENT,
    USER,
    SYSTEM
  }

  /** The SMART v2 interaction letters, in their order. */
  public enum Interaction {
    CREATE('c'),
    READ('r'),
    UPDATE('u'),
    DELETE('d'),
    SEARCH('s');

    final char letter;

    Interaction(char letter) {
      this.letter = letter;
    }
  }

  public static final String ANY_TYPE = "*";

  public SmartScope {
    interactions = Set.copyOf(interactions);
  }

  /** Parses a scope; empty for non-resource scopes ({@code openid}, {@code launch/patient}). */
  public static Optional<SmartScope> parse(String scope) {
    int slash = scope.indexOf('/');
    int dot = scope.lastIndexOf('.');
    if (slash <= 0 || dot < slash + 2 || dot == scope.length() - 1 || scope.contains("?")) {
      return Optional.empty();
    }
    Level level;
    switch (scope.substring(0, slash)) {
      case "patient" -> level = Level.PATIENT;
      case "user" -> level = Level.USER;
      case "system" -> level = Level.SYSTEM;
      default -> {
        return Optional.empty();
      }
    }
    String type = scope.substring(slash + 1, dot);
    if (!type.equals(ANY_TYPE) && !type.matches("[A-Z][A-Za-z]+")) {
      return Optional.empty();
    }
    return interactions(scope.substring(dot + 1)).map(set -> new SmartScope(level, type, set));
  }

  private static Optional<Set<Interaction>> interactions(String suffix) {
    switch (suffix) {
      case "read" -> {
        return Optional.of(EnumSet.of(Interaction.READ, Interaction.SEARCH));
      }
      case "write" -> {
        return Optional.of(EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE));
      }
      case "*" -> {
        return Optional.of(EnumSet.allOf(Interaction.class));
      }
      default -> {
        // v2: a non-empty subset of "cruds", letters in that order, none twice.
        Set<Interaction> set = EnumSet.noneOf(Interaction.class);
        int last = -1;
        for (char c : suffix.toCharArray()) {
          int index = "cruds".indexOf(c);
          if (index <= last) {
            return Optional.empty();
          }
          last = index;
          set.add(Interaction.values()[index]);
        }
        return set.isEmpty() ? Optional.empty() : Optional.of(set);
      }
    }
  }

  public boolean appliesTo(String type) {
    return resourceType.equals(ANY_TYPE) || resourceType.equals(type);
  }

  public boolean allows(Interaction interaction) {
    return interactions.contains(interaction);
  }

  /** True when this (registered, ceiling) scope includes everything {@code requested} asks. */
  public boolean covers(SmartScope requested) {
    return level == requested.level
        && (resourceType.equals(ANY_TYPE) || resourceType.equals(requested.resourceType))
        && interactions.containsAll(requested.interactions);
  }

  @Override
  public String toString() {
    StringBuilder letters = new StringBuilder();
    for (Interaction i : Interaction.values()) {
      if (interactions.contains(i)) {
        letters.append(i.letter);
      }
    }
    return level.name().toLowerCase() + "/" + resourceType + "." + letters;
  }
}
