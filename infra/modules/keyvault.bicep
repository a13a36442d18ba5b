// Key Vault holding R2META_CREDENTIALS (the S3 accounts: access key ids and their secrets) and
// R2META_KEY_ENCRYPTION_KEY (the key sealing the stored access keys' secrets; written by the postprovision
// hook when missing, never by the template). RBAC mode, no
// access policies: the Function App's identity reads secrets through "Key Vault Secrets User" (roles.bicep),
// and the app setting is a Key Vault reference, so the value never appears in the template, the deployment
// history or a command line.
//
// Who writes the secret: the operator, once, outside the template (az keyvault secret set --file, README
// "Deploy to Azure"); under azd the postprovision hook generates a random account when the secret is missing.
// credentialsFallback is the documented exception: a secure parameter for pipelines that already hold the value.

@description('Key Vault name: 3-24 letters, digits and hyphens, starting with a letter.')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Name of the secret holding R2META_CREDENTIALS.')
param credentialsSecretName string

@description('Name of the secret holding R2META_KEY_ENCRYPTION_KEY (base64 of 32 random bytes: the AES-256 key sealing stored access-key secrets).')
param keyEncryptionKeySecretName string

@description('Object id of a user or group that may write secrets (the operator; azd passes AZURE_PRINCIPAL_ID). Empty: none.')
param operatorPrincipalId string

@description('Type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string

@description('Fallback only: when not empty, written as the credentials secret (overwriting it). Prefer az keyvault secret set --file.')
@secure()
param credentialsFallback string

// Built-in Azure RBAC role: read, write and delete secrets (not keys or certificates).
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    // Soft delete is always on; 7 days (the minimum) lets a deleted resource group be redeployed soon under
    // the same name (or recover the vault: az keyvault recover).
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
    enabledForDeployment: false
    enabledForTemplateDeployment: false
    enabledForDiskEncryption: false
  }
}

resource credentialsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(credentialsFallback)) {
  parent: vault
  name: credentialsSecretName
  properties: {
    value: credentialsFallback
    contentType: 'accessKeyId:secret[:canonicalUserId[:displayName]], comma-separated'
  }
}

resource operatorRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}

output name string = vault.name
output id string = vault.id

@description('Versionless secret URI: the app setting follows the latest version (App Service re-reads it within 24 h or on restart).')
output credentialsSecretUri string = '${vault.properties.vaultUri}secrets/${credentialsSecretName}'

@description('Versionless URI of the key-encryption key secret (R2META_KEY_ENCRYPTION_KEY). Changing it makes every stored key unusable: rotate keys after.')
output keyEncryptionKeySecretUri string = '${vault.properties.vaultUri}secrets/${keyEncryptionKeySecretName}'
