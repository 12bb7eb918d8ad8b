// The payment actor's rule as a Kafka Streams application with exactly-once v2 and one stream thread, the peer
// bench/peer.ts measures the actor against. Settings come from the environment (PEER_*), see bench/README.md.
package dev.webshop.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

public final class PaymentPeer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAILED = "webshop.payment.failed";
  private static final String COMPLETED = "webshop.payment.completed";
  private static final byte[] CONTENT_TYPE = "application/cloudevents+json".getBytes(StandardCharsets.UTF_8);

  private PaymentPeer() {}

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  /** order.created in, payment.completed or payment.failed out, as src/actors/payment/handler.ts decides. */
  static final class Payment implements FixedKeyProcessor<String, String, String> {
    private final double limit;
    private final AtomicLong processed;
    private FixedKeyProcessorContext<String, String> context;

    Payment(double limit, AtomicLong processed) {
      this.limit = limit;
      this.processed = processed;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, String> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, String> record) {
      ObjectNode out;
      try {
        JsonNode in = JSON.readTree(record.value());
        JsonNode data = in.path("data");
        String orderId = data.path("orderId").asText();
        double amount = data.path("amount").asDouble();
        boolean failed = amount > limit;
        out = JSON.createObjectNode();
        out.put("specversion", "1.0");
        out.put("id", UUID.randomUUID().toString());
        out.put("source", "webshop/payment-streams");
        out.put("type", failed ? FAILED : COMPLETED);
        out.put("time", Instant.now().toString());
        out.put("subject", orderId);
        out.put("datacontenttype", "application/json");
        out.put("correlationid", in.path("correlationid").asText(in.path("id").asText()));
        ObjectNode outData = out.putObject("data");
        outData.put("orderId", orderId);
        outData.set("amount", data.path("amount"));
        if (failed) {
          outData.put("reason", "insufficient_funds");
          outData.put("message", "Payment failed due to insufficient funds");
        } else {
          outData.put("paymentId", UUID.randomUUID().toString());
        }
      } catch (Exception error) {
        // The bench sends only valid events; the actor would dead-letter this one.
        throw new IllegalStateException("undecodable order.created event", error);
      }
      FixedKeyRecord<String, String> next = record.withValue(out.toString());
      next.headers().remove("content-type").add(new RecordHeader("content-type", CONTENT_TYPE));
      context.forward(next);
      processed.incrementAndGet();
    }
  }

  static Properties settings(String applicationId, String bootstrap) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // Anything else the bench passes, e.g. PEER_CONFIG="commit.interval.ms=50,linger.ms=0".
    for (String pair : env("PEER_CONFIG", "").split(",")) {
      int equals = pair.indexOf('=');
      if (equals > 0) props.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }
    return props;
  }

  static KafkaStreams build(String prefix, Properties props, double limit, AtomicLong processed) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(prefix + "order_created", Consumed.with(Serdes.String(), Serdes.String()))
        .processValues(() -> new Payment(limit, processed))
        .to(
            (key, value, context) -> prefix + (value.contains(FAILED) ? "payment_failed" : "payment_completed"),
            Produced.with(Serdes.String(), Serdes.String()));
    return new KafkaStreams(builder.build(), props);
  }

  /** Runs an instance on `prefix` until it processed `events`, then closes it (which commits): warms the JVM. */
  static void warmUp(String prefix, String bootstrap, String applicationId, double limit, long events)
      throws InterruptedException {
    AtomicLong processed = new AtomicLong();
    try (KafkaStreams streams = build(prefix, settings(applicationId, bootstrap), limit, processed)) {
      streams.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (processed.get() < events && System.nanoTime() < deadline) Thread.sleep(20);
    }
  }

  /** The settings that shape the figures, as the timed instance's clients get them (Streams' and clients' defaults). */
  static Map<String, Object> effective(Properties props) {
    StreamsConfig streams = new StreamsConfig(props);
    Map<String, Object> producer = new TreeMap<>(ProducerConfig.configDef().defaultValues());
    producer.putAll(streams.getProducerConfigs("peer"));
    Map<String, Object> consumer = new TreeMap<>(ConsumerConfig.configDef().defaultValues());
    consumer.putAll(streams.getMainConsumerConfigs("peer", "peer", 0));
    Map<String, Object> shown = new TreeMap<>();
    shown.put("processing.guarantee", streams.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    shown.put("num.stream.threads", streams.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
    shown.put("commit.interval.ms", streams.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    for (String key : new String[] {"linger.ms", "batch.size", "transaction.timeout.ms", "compression.type"}) {
      shown.put("producer " + key, String.valueOf(producer.get(key)));
    }
    for (String key : new String[] {"max.poll.records", "fetch.max.wait.ms", "fetch.min.bytes", "isolation.level",
        "group.protocol", "session.timeout.ms"}) {
      shown.put("consumer " + key, String.valueOf(consumer.get(key)));
    }
    return shown;
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = env("PEER_BOOTSTRAP", "127.0.0.1:9092");
    String prefix = env("PEER_PREFIX", "");
    String applicationId = prefix + "payment-streams";
    double limit = Double.parseDouble(env("PAYMENT_LIMIT", "300"));
    int port = Integer.parseInt(env("PEER_PORT", "5099"));
    long warmupEvents = Long.parseLong(env("PEER_WARMUP_EVENTS", "0"));
    AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);

    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    http.createContext("/readyz", exchange -> {
      boolean ready = state.get() == KafkaStreams.State.RUNNING;
      byte[] body = (ready ? "ready" : state.get().name()).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(ready ? 200 : 503, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.start();

    if (warmupEvents > 0) {
      String warmPrefix = env("PEER_WARMUP_PREFIX", prefix + "warm.");
      warmUp(warmPrefix, bootstrap, warmPrefix + "payment-streams", limit, warmupEvents);
    }
    Properties props = settings(applicationId, bootstrap);
    System.out.println("peer settings " + JSON.writeValueAsString(effective(props)));

    KafkaStreams streams = build(prefix, props, limit, new AtomicLong());
    streams.setStateListener((next, previous) -> state.set(next));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(Duration.ofSeconds(10));
      http.stop(0);
      stopped.countDown();
    }));
    streams.start();
    stopped.await();
  }
}
