package org.vitals.cds.recommend;

import org.vitals.cds.clinical.Guideline;

/**
 * A self-management suggestion for a patient, from a rule over their own data.
 *
 * @param code stable rule code
 * @param title short title
 * @param text what to do, in plain words
 * @param because the numbers that led to it
 * @param source the guideline it follows
 */
public record Recommendation(
    String code, String title, String text, String because, Guideline source) {}
