package org.vitals.inference.news2;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A NEWS2 score: the aggregate, each parameter's sub-score, whether any single parameter scored 3
 * (the RCP "red score"), and the response band.
 */
public record News2Result(
    int total,
    Map<News2Parameter, Integer> subScores,
    boolean singleParameterScoresThree,
    News2ResponseBand band) {

  public News2Result {
    subScores = Collections.unmodifiableMap(new EnumMap<>(subScores));
  }

  /** The sub-score of one parameter. */
  public int subScore(News2Parameter parameter) {
    return subScores.get(parameter);
  }
}
