package org.vitals.inference.ecg;

/**
 * One detected heartbeat.
 *
 * @param sample sample index of the R peak, in the caller's sampling rate
 * @param beatClass AAMI class
 * @param confidence the classifier's probability for that class (0..1)
 */
public record Beat(int sample, AamiClass beatClass, float confidence) {}
