package dev.steward.models.internal;

import dev.steward.shared.CredentialCipher;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.math.BigDecimal;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * The tenant in scope's provider accounts and models, under its row-level security. Outcomes are returned, not
 * thrown (an exception leaving a transaction is an incident in Liberty; a taken name is not).
 */
@ApplicationScoped
class ModelStore {

    enum Outcome { DONE, NOT_FOUND, CONFLICT, IN_USE }

    private static final String PROVIDER_COLUMNS = "id, name, type, base_url, settings::text AS settings,"
            + " credential_names, created_at, updated_at";
    private static final String MODEL_COLUMNS = "m.id, m.name, p.name AS provider, m.provider_model, m.input_price,"
            + " m.output_price, m.cached_input_price FROM models.models m JOIN models.providers p"
            + " ON p.tenant_id = m.tenant_id AND p.id = m.provider_id";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    @ConfigProperty(name = "steward.master-key")
    Optional<String> masterKey;


    @Transactional
    Optional<ModelViews.Provider> createProvider(ProviderRequest request) {
        return work(connection -> {
            TenantId tenant = CurrentRequest.get().requireTenant();
            UUID id = UUID.randomUUID();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO models.providers (tenant_id,"
                    + " id, name, type, base_url, settings, credentials, credential_names)"
                    + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING")) {
                insert.setObject(1, tenant.value());
                insert.setObject(2, id);
                insert.setString(3, request.name());
                insert.setString(4, request.type());
                insert.setString(5, request.baseUrl());
                insert.setString(6, settings(request).toString());
                insert.setBytes(7, encrypt(request, tenant, id));
                insert.setArray(8, connection.createArrayOf("text", credentialNames(request)));
                if (insert.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return provider(connection, id);
        });
    }

    /**
     * Replaces type, base URL and settings; the credentials when the request has them, and drops the stored ones
     * when the account {@code moved} (another type or base URL) without new ones.
     */
    @Transactional
    Optional<ModelViews.Provider> updateProvider(UUID id, ProviderRequest request, boolean moved) {
        return work(connection -> {
            TenantId tenant = CurrentRequest.get().requireTenant();
            String credentials = request.credentials() != null ? ", credentials = ?, credential_names = ?"
                    : moved ? ", credentials = NULL, credential_names = '{}'" : "";
            try (PreparedStatement update = connection.prepareStatement("UPDATE models.providers SET type = ?,"
                    + " base_url = ?, settings = ?::jsonb" + credentials + ", updated_at = now() WHERE id = ?")) {
                update.setString(1, request.type());
                update.setString(2, request.baseUrl());
                update.setString(3, settings(request).toString());
                int index = 4;
                if (request.credentials() != null) {
                    update.setBytes(index++, encrypt(request, tenant, id));
                    update.setArray(index++, connection.createArrayOf("text", credentialNames(request)));
                }
                update.setObject(index, id);
                if (update.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return provider(connection, id);
        });
    }

    @Transactional
    List<ModelViews.Provider> providers() {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + PROVIDER_COLUMNS
                    + " FROM models.providers ORDER BY name")) {
                return readProviders(query);
            }
        });
    }

    @Transactional
    Optional<ModelViews.Provider> provider(UUID id) {
        return work(connection -> provider(connection, id));
    }

    @Transactional
    Outcome deleteProvider(UUID id) {
        return work(connection -> {
            try (PreparedStatement used = connection.prepareStatement(
                    "SELECT EXISTS (SELECT 1 FROM models.models WHERE provider_id = ?)")) {
                used.setObject(1, id);
                try (ResultSet row = used.executeQuery()) {
                    row.next();
                    if (row.getBoolean(1)) {
                        return Outcome.IN_USE;
                    }
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM models.providers WHERE id = ?")) {
                delete.setObject(1, id);
                return delete.executeUpdate() > 0 ? Outcome.DONE : Outcome.NOT_FOUND;
            }
        });
    }

    /** NOT_FOUND when the tenant has no provider of that name, CONFLICT when the model name is taken. */
    @Transactional
    Outcome createModel(ModelRequest request) {
        return work(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO models.models (tenant_id, id,"
                    + " name, provider_id, provider_model, input_price, output_price, cached_input_price)"
                    + " SELECT p.tenant_id, ?, ?, p.id, ?, ?, ?, ? FROM models.providers p WHERE p.name = ?"
                    + " ON CONFLICT (tenant_id, name) DO NOTHING RETURNING id")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, request.name());
                insert.setString(3, request.providerModel());
                insert.setBigDecimal(4, request.inputPrice());
                insert.setBigDecimal(5, request.outputPrice());
                insert.setBigDecimal(6, request.cachedInputPrice());
                insert.setString(7, request.provider());
                try (ResultSet row = insert.executeQuery()) {
                    if (row.next()) {
                        return Outcome.DONE;
                    }
                }
            }
            return provider(connection, request.provider()) ? Outcome.CONFLICT : Outcome.NOT_FOUND;
        });
    }

    /** What a call to a registered model needs: its account's type and address, and the decrypted credentials. */
    record Binding(String account, String providerType, String baseUrl, String providerModel,
                   Map<String, String> credentials, BigDecimal inputPrice, BigDecimal outputPrice,
                   BigDecimal cachedInputPrice) {
    }

    /** The tenant's model of that name with its account; credentials that no longer decrypt are an error. */
    @Transactional
    Optional<Binding> binding(String modelName) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT p.tenant_id, p.id, p.type,"
                    + " p.base_url, p.credentials, m.provider_model, m.input_price, m.output_price,"
                    + " m.cached_input_price FROM models.models m JOIN models.providers p"
                    + " ON p.tenant_id = m.tenant_id AND p.id = m.provider_id WHERE m.name = ?")) {
                query.setString(1, modelName);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    TenantId tenant = new TenantId(row.getObject("tenant_id", UUID.class));
                    byte[] sealed = row.getBytes("credentials");
                    Map<String, String> credentials = new TreeMap<>();
                    if (sealed != null) {
                        String json = decrypt(sealed, boundTo(tenant, row.getObject("id", UUID.class)));
                        try (var reader = Json.createReader(new StringReader(json))) {
                            reader.readObject().forEach((key, value) -> credentials.put(key,
                                    ((JsonString) value).getString()));
                        }
                    }
                    return Optional.of(new Binding(boundTo(tenant, row.getObject("id", UUID.class)),
                            row.getString("type"), row.getString("base_url"),
                            row.getString("provider_model"), credentials, row.getBigDecimal("input_price"),
                            row.getBigDecimal("output_price"), row.getBigDecimal("cached_input_price")));
                }
            }
        });
    }

    private String decrypt(byte[] sealed, String boundTo) {
        try {
            return cipher().decrypt(sealed, boundTo);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("provider credentials do not decrypt (was STEWARD_MASTER_KEY changed?)",
                    e);
        }
    }

    @Transactional
    List<ModelViews.Model> models() {
        return work(connection -> readModels(connection, "SELECT " + MODEL_COLUMNS + " ORDER BY m.name", null));
    }

    /** A page of {@link #models()}: from {@code offset}, at most {@code limit}. */
    @Transactional
    List<ModelViews.Model> models(int offset, int limit) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + MODEL_COLUMNS
                    + " ORDER BY m.name OFFSET ? LIMIT ?")) {
                query.setInt(1, offset);
                query.setInt(2, limit);
                return readModels(query);
            }
        });
    }

    @Transactional
    Optional<ModelViews.Model> model(String name) {
        return work(connection -> readModels(connection, "SELECT " + MODEL_COLUMNS + " WHERE m.name = ?", name)
                .stream().findFirst());
    }

    @Transactional
    boolean deleteModel(String name) {
        return work(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM models.models WHERE name = ?")) {
                delete.setString(1, name);
                return delete.executeUpdate() > 0;
            }
        });
    }

    private static JsonObject settings(ProviderRequest request) {
        return request.settings() == null ? JsonObject.EMPTY_JSON_OBJECT : request.settings();
    }

    private byte[] encrypt(ProviderRequest request, TenantId tenant, UUID id) {
        if (request.credentials() == null || request.credentials().isEmpty()) {
            return null;
        }
        JsonObjectBuilder json = Json.createObjectBuilder();
        new TreeMap<>(request.credentials()).forEach(json::add);
        return cipher().encrypt(json.build().toString(), boundTo(tenant, id));
    }

    /** What a ciphertext is bound to: its tenant and account. */
    static String boundTo(TenantId tenant, UUID id) {
        return tenant + "/" + id;
    }

    private CredentialCipher cipher() {
        return CredentialCipher.of(masterKey, "provider-credentials/v1");
    }

    private static Object[] credentialNames(ProviderRequest request) {
        return request.credentials() == null ? new Object[0]
                : new TreeMap<>(request.credentials()).keySet().toArray();
    }

    private static Optional<ModelViews.Provider> provider(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + PROVIDER_COLUMNS
                + " FROM models.providers WHERE id = ?")) {
            query.setObject(1, id);
            return readProviders(query).stream().findFirst();
        }
    }

    private static boolean provider(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM models.providers WHERE name = ?)")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static List<ModelViews.Provider> readProviders(PreparedStatement query) throws SQLException {
        List<ModelViews.Provider> providers = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                JsonObject settings;
                try (var reader = Json.createReader(new StringReader(row.getString("settings")))) {
                    settings = reader.readObject();
                }
                providers.add(new ModelViews.Provider(row.getObject("id", UUID.class).toString(),
                        row.getString("name"), row.getString("type"), row.getString("base_url"), settings,
                        List.of((String[]) row.getArray("credential_names").getArray()),
                        instant(row, "created_at"), instant(row, "updated_at")));
            }
        }
        return providers;
    }

    private static List<ModelViews.Model> readModels(Connection connection, String sql, String name)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            if (name != null) {
                query.setString(1, name);
            }
            return readModels(query);
        }
    }

    private static List<ModelViews.Model> readModels(PreparedStatement query) throws SQLException {
        List<ModelViews.Model> models = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                models.add(new ModelViews.Model(row.getObject("id", UUID.class).toString(), row.getString("name"),
                        row.getString("provider"), row.getString("provider_model"),
                        row.getBigDecimal("input_price"), row.getBigDecimal("output_price"),
                        row.getBigDecimal("cached_input_price"), false));
            }
        }
        return models;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private <T> T work(SqlWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::run);
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
