package org.vitals.gateway.ingest.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Edge mode against the real Mosquitto (127.0.0.1:1883): readings journaled while the uplink is
 * down, bounded with counted oldest-first eviction, sent in order when it returns, nothing lost
 * when the link drops mid-stream, and the journal survives a restart (H2 file).
 */
class EdgeUplinkTest {
  static final String RUN = Long.toString(System.nanoTime(), 36);

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void requireMosquitto() {
    try (Socket s = new Socket("127.0.0.1", 1883)) {
      s.isConnected();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Mosquitto is not listening on 127.0.0.1:1883 (.ci/services.sh starts it)", e);
    }
  }

  static JdbcTemplate h2(Path dir) {
    return new JdbcTemplate(
        new org.springframework.jdbc.datasource.SingleConnectionDataSource(
            "jdbc:h2:file:" + dir.resolve("edge") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "", true));
  }

  static String reading(int seq) {
    return "{\"v\":1,\"dev\":\"edge-dev\",\"boot\":1,\"seq\":"
        + seq
        + ",\"ts\":1732680000000,\"metric\":\"hr\",\"val\":70,\"unit\":\"/min\"}";
  }

  static int seqOf(String payload) {
    String s = payload.substring(payload.indexOf("\"seq\":") + 6);
    return Integer.parseInt(s.substring(0, s.indexOf(',')));
  }

  @Test
  void journalsWhileDownEvictsOldestAndSendsInOrderWhenTheUplinkReturns() throws Exception {
    requireMosquitto();
    String topic = "vitals/v1/edge-" + RUN + "/edge-dev/hr";
    List<Integer> received = new CopyOnWriteArrayList<>();
    MqttClient sub =
        new MqttClient("tcp://127.0.0.1:1883", "edge-sub-" + RUN, new MemoryPersistence());
    sub.connect(new MqttConnectionOptions());
    // (Paho's subscribe variants with a listener recurse in MqttClient; a callback does not.)
    sub.setCallback(
        new org.eclipse.paho.mqttv5.client.MqttCallback() {
          @Override
          public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {}

          @Override
          public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {}

          @Override
          public void messageArrived(String t, org.eclipse.paho.mqttv5.common.MqttMessage m) {
            received.add(seqOf(new String(m.getPayload(), StandardCharsets.UTF_8)));
          }

          @Override
          public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String uri) {}

          @Override
          public void authPacketArrived(
              int reason, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {}
        });
    sub.subscribe("vitals/v1/edge-" + RUN + "/#", 1);

    Path dir = Files.createTempDirectory("edge-journal");
    ReadingJournal journal = new ReadingJournal(h2(dir), 50);
    try (TcpOutage link = new TcpOutage(freePort(), 1883);
        UplinkForwarder uplink =
            new UplinkForwarder(
                    journal, "tcp://127.0.0.1:" + link.port, "edge-" + RUN, Duration.ofMillis(400))
                .start()) {
      for (int i = 1; i <= 60; i++) {
        journal.append(topic, reading(i));
      }
      assertEquals(10, journal.evicted(), "the 10 oldest are evicted and counted");
      assertEquals(50, journal.size());
      Thread.sleep(500);
      assertFalse(uplink.connected());
      assertEquals(0, uplink.sent());

      link.up();
      await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 50);
      assertEquals(java.util.stream.IntStream.rangeClosed(11, 60).boxed().toList(), received);
      await().atMost(Duration.ofSeconds(5)).until(() -> journal.size() == 0);

      // The link drops mid-stream: nothing is lost, order is kept (a resend may repeat one).
      for (int i = 61; i <= 45 + 61; i++) {
        journal.append(topic, reading(i));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 60);
      link.down();
      for (int i = 107; i <= 120; i++) {
        journal.append(topic, reading(i));
      }
      Thread.sleep(300);
      assertTrue(journal.size() > 0, "readings wait in the journal while the link is down");
      link.up();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> received.stream().distinct().count() == 110);
      List<Integer> distinct = received.stream().distinct().toList();
      assertEquals(java.util.stream.IntStream.rangeClosed(11, 120).boxed().toList(), distinct);
    } finally {
      sub.disconnect();
      sub.close();
    }
  }

  @Test
  void theJournalSurvivesARestart() throws Exception {
    Path dir = Files.createTempDirectory("edge-journal");
    JdbcTemplate first = h2(dir);
    ReadingJournal j = new ReadingJournal(first, 10);
    j.append("t", reading(1));
    j.append("t", reading(2));
    first.execute("shutdown");
    ReadingJournal again = new ReadingJournal(h2(dir), 10);
    assertEquals(2, again.size());
    assertEquals(1, seqOf(new String(again.oldest(1).get(0).payload(), StandardCharsets.UTF_8)));
  }
}
