package org.vitals.gateway.ingest.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the gateway signs in to an external MQTT broker and whether it trusts it: credentials and TLS
 * (docs/security.md, "MQTT"). Bound from {@code VITALS_MQTT_USERNAME}, {@code
 * VITALS_MQTT_PASSWORD}, {@code VITALS_MQTT_TRUSTSTORE}, {@code VITALS_MQTT_TRUSTSTORE_PASSWORD},
 * {@code VITALS_MQTT_KEYSTORE}, {@code VITALS_MQTT_KEYSTORE_PASSWORD}.
 *
 * @param username the gateway's MQTT user name; blank: none (anonymous, or a client certificate)
 * @param password its password (from the environment only)
 * @param truststore the CAs the broker's certificate must chain to, for {@code ssl://} URLs: a PEM
 *     file ({@code .pem}, {@code .crt}, {@code .cer}) or a PKCS#12/JKS store; blank: the JVM's CAs
 * @param truststorePassword the store's password (PKCS#12/JKS only)
 * @param keystore a PKCS#12/JKS store with the gateway's client certificate and key, when the
 *     broker asks for one (mutual TLS); blank: none
 * @param keystorePassword the key store's (and key's) password
 */
@ConfigurationProperties(prefix = "vitals.gateway.mqtt-connection")
public record MqttConnectionSettings(
    String username,
    String password,
    String truststore,
    String truststorePassword,
    String keystore,
    String keystorePassword) {

  /** No credentials, the JVM's trust: what the embedded broker needs. */
  public static final MqttConnectionSettings NONE =
      new MqttConnectionSettings(null, null, null, null, null, null);

  public boolean hasCredentials() {
    return present(username);
  }

  public boolean hasClientCertificate() {
    return present(keystore);
  }

  /**
   * Checks the settings against the broker URL; the message of the exception names the setting that
   * is wrong and what to do.
   */
  public void check(String url) {
    boolean tls = isTls(url);
    if (!tls && (present(truststore) || present(keystore))) {
      throw new IllegalArgumentException(
          "VITALS_MQTT_TRUSTSTORE/VITALS_MQTT_KEYSTORE are set but VITALS_MQTT_URL '"
              + url
              + "' is not a TLS URL: use ssl://host:8883");
    }
    if (present(password) && !present(username)) {
      throw new IllegalArgumentException(
          "VITALS_MQTT_PASSWORD is set without VITALS_MQTT_USERNAME");
    }
    if (present(username) && !present(password)) {
      throw new IllegalArgumentException(
          "VITALS_MQTT_USERNAME '" + username + "' is set without VITALS_MQTT_PASSWORD");
    }
    for (String store : new String[] {truststore, keystore}) {
      if (present(store) && !Files.isReadable(Path.of(store))) {
        throw new IllegalArgumentException(
            (store.equals(truststore) ? "VITALS_MQTT_TRUSTSTORE" : "VITALS_MQTT_KEYSTORE")
                + " '"
                + store
                + "' is not a readable file");
      }
    }
  }

  /** Puts credentials and the TLS socket factory on the connection options. */
  public void applyTo(MqttConnectionOptions options, String url) {
    if (present(username)) {
      options.setUserName(username);
      options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    if (isTls(url) && (present(truststore) || present(keystore))) {
      options.setSocketFactory(socketFactory());
    }
    // Paho checks the broker's host name against its certificate by default; keep it so.
    options.setHttpsHostnameVerificationEnabled(true);
  }

  /** A TLS socket factory that trusts {@link #truststore} and presents {@link #keystore}. */
  SSLSocketFactory socketFactory() {
    try {
      TrustManagerFactory trust = null;
      if (present(truststore)) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(truststore, truststorePassword));
      }
      KeyManagerFactory keys = null;
      if (present(keystore)) {
        char[] pass = chars(keystorePassword);
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(KeyStore.getInstance(Path.of(keystore).toFile(), pass), pass);
      }
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(
          keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(),
          null);
      return tls.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot set up MQTT TLS from VITALS_MQTT_TRUSTSTORE/VITALS_MQTT_KEYSTORE: " + e, e);
    }
  }

  private static KeyStore load(String file, String password)
      throws IOException, GeneralSecurityException {
    String name = file.toLowerCase(Locale.ROOT);
    if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        int i = 0;
        for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca-" + i++, ca);
        }
        if (i == 0) {
          throw new GeneralSecurityException(file + " holds no PEM certificate");
        }
      }
      return store;
    }
    return KeyStore.getInstance(Path.of(file).toFile(), chars(password));
  }

  static boolean isTls(String url) {
    return url != null && url.toLowerCase(Locale.ROOT).startsWith("ssl://");
  }

  private static char[] chars(String s) {
    return s == null ? new char[0] : s.toCharArray();
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "MqttConnectionSettings[username="
        + username
        + ", password="
        + (present(password) ? "***" : "")
        + ", truststore="
        + truststore
        + ", keystore="
        + keystore
        + "]";
  }
}
