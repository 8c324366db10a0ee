package org.vitals.inference.spo2;

/** The recording has too little valid SpO2 for the requested figures; the message says why. */
public class InsufficientDataException extends IllegalArgumentException {

  public InsufficientDataException(String message) {
    super("insufficient data: " + message);
  }
}
