package org.vitals.fhir.config;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.model.HistoryCountModeEnum;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.searchparam.extractor.ISearchParamExtractor;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryResourceMatcher;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import java.util.Properties;
import javax.sql.DataSource;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.vitals.fhir.config.DatabaseConfig.DatabaseKind;
import org.vitals.fhir.ingest.MatchUrlMemoizingMatcher;
import org.vitals.fhir.searchparam.MemoizedPathSearchParamExtractor;

/**
 * HAPI FHIR JPA R4 storage: the DAOs, the EntityManagerFactory over our DataSource, and the storage
 * settings tuned for a stream of vital-sign Observations (see
 * docs/decisions/0007-write-path-tuning.md and docs/benchmarks.md).
 */
@Configuration
@Import({
  JpaR4Config.class,
  ca.uhn.fhir.jpa.config.HapiJpaConfig.class,
  JpaBatch2Config.class,
  Batch2JobsConfig.class,
  ThreadPoolFactoryConfig.class,
  // The in-process message channels: HAPI's batch jobs need them even without subscriptions.
  SubscriptionChannelConfig.class
})
public class HapiJpaConfig {

  @Bean
  public JpaStorageSettings jpaStorageSettings(VitalsServerProperties properties) {
    JpaStorageSettings settings = new JpaStorageSettings();
    // Write path: fewer rows and checks per Observation.
    settings.setIndexStorageOptimized(true);
    settings.setTagStorageMode(StorageSettings.TagStorageModeEnum.INLINE);
    // A vital-sign Observation is well under 16 kB: store its JSON inline in a text column
    // rather than as a compressed LOB (no gzip per write, no large-object round trip on
    // PostgreSQL).
    settings.setInlineResourceTextBelowSize(16_000);
    settings.setStoreMetaSourceInformation(JpaStorageSettings.StoreMetaSourceInformationEnum.NONE);
    settings.setSuppressStringIndexingInTokens(true);
    settings.setMatchUrlCacheEnabled(true);
    settings.setIndexMissingFields(StorageSettings.IndexEnabledEnum.DISABLED);
    settings.setAutoCreatePlaceholderReferenceTargets(false);
    settings.setEnforceReferentialIntegrityOnWrite(true);
    // Conditional create stores its match URL in HFJ_RES_SEARCH_URL, whose primary key makes
    // two concurrent identical creates collide instead of both succeeding.
    settings.setUniqueIndexesEnabled(true);
    // Bounded sizes protect the heap (hapi-fhir #1872, starter #711).
    settings.setMaximumTransactionBundleSize(properties.maxBundleEntries());
    settings.setDefaultSearchParamsCanBeOverridden(true);
    // Apps and CDS services want fresh vitals, not a 60 s old cached search.
    settings.setReuseCachedSearchResultsForMillis(null);
    settings.setHistoryCountMode(HistoryCountModeEnum.COUNT_DISABLED);
    settings.setFetchSizeDefaultMaximum(10_000);
    settings.setAllowMultipleDelete(false);
    settings.setLastNEnabled(false);
    return settings;
  }

  /**
   * Subscription settings; the message channels exist either way (HAPI's batch jobs use them), the
   * matching and delivery only with {@code VITALS_SUBSCRIPTIONS=deliver} (SubscriptionConfig).
   */
  @Bean
  public SubscriptionSettings subscriptionSettings(VitalsServerProperties properties) {
    SubscriptionSettings settings = new SubscriptionSettings();
    if (properties.subscriptions() == VitalsServerProperties.Subscriptions.DELIVER) {
      settings.addSupportedSubscriptionType(SubscriptionChannelType.RESTHOOK);
      settings.addSupportedSubscriptionType(SubscriptionChannelType.WEBSOCKET);
      // New and changed Subscriptions take effect at once instead of on the next poll.
      settings.setSubscriptionChangeQueuedImmediately(true);
      settings.setEnableInMemorySubscriptionMatching(true);
    }
    return settings;
  }

  /**
   * Every resource this server stores or serves was parsed from JSON or XML, where a contained
   * resource always carries its local id: HAPI's search for in-memory reference targets to contain
   * finds nothing, yet walks each resource on every encode and index (about 3 % of the write path's
   * CPU, docs/benchmarks.md). Contained resources sent by clients are kept as they are.
   */
  @Bean
  public SmartInitializingSingleton storedJsonParserOptions(FhirContext fhirContext) {
    return () -> fhirContext.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
  }

  /**
   * HAPI's R4 extractor (its SearchParamConfig makes one too; this one is injected wherever an
   * extractor is wanted) without the per-resource re-splitting of parameter expressions.
   */
  @Bean
  @Primary
  public ISearchParamExtractor memoizedPathSearchParamExtractor() {
    return new MemoizedPathSearchParamExtractor();
  }

  /** Conditional-create bundles without HAPI's quadratic re-parsing (see the class). */
  @Bean
  @Primary
  public InMemoryResourceMatcher matchUrlMemoizingMatcher() {
    return new MatchUrlMemoizingMatcher();
  }

  @Bean
  public PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Primary
  @Bean
  public LocalContainerEntityManagerFactoryBean entityManagerFactory(
      ConfigurableListableBeanFactory beanFactory,
      FhirContext fhirContext,
      JpaStorageSettings storageSettings,
      DataSource dataSource,
      DatabaseKind databaseKind) {
    LocalContainerEntityManagerFactoryBean factory =
        HapiEntityManagerFactoryUtil.newEntityManagerFactory(
            beanFactory, fhirContext, storageSettings);
    factory.setPersistenceUnitName("HAPI_PU");
    factory.setDataSource(dataSource);
    factory.setJpaProperties(hibernateProperties(databaseKind));
    return factory;
  }

  static Properties hibernateProperties(DatabaseKind kind) {
    Properties p = new Properties();
    // HAPI reads the dialect from this map and fails without it.
    p.put("hibernate.dialect", kind.dialect());
    // The schema belongs to HAPI's migrator (DatabaseConfig).
    p.put("hibernate.hbm2ddl.auto", "none");
    p.put("hibernate.search.enabled", "false");
    p.put("hibernate.jdbc.batch_size", "100");
    p.put("hibernate.order_inserts", "true");
    p.put("hibernate.order_updates", "true");
    p.put("hibernate.cache.use_query_cache", "false");
    p.put("hibernate.cache.use_second_level_cache", "false");
    p.put("hibernate.cache.use_structured_entries", "false");
    p.put("hibernate.cache.use_minimal_puts", "false");
    p.put("hibernate.format_sql", "false");
    p.put("hibernate.show_sql", "false");
    return p;
  }

  @Primary
  @Bean
  public JpaTransactionManager transactionManager(
      jakarta.persistence.EntityManagerFactory entityManagerFactory) {
    JpaTransactionManager manager = new JpaTransactionManager();
    manager.setEntityManagerFactory(entityManagerFactory);
    return manager;
  }
}
