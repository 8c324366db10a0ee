package org.vitals.gateway.ingest.mqtt;

/** The broker the gateway subscribes to: external when configured, otherwise the embedded one. */
public record BrokerAddress(String url, boolean embedded) {}
