package org.vitals.inference.wfdb;

/** A WFDB file that cannot be read: the message says which file or line and why. */
public class WfdbFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WfdbFormatException(String message) {
    super(message);
  }
}
