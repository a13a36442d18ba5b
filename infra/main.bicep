// R2Meta on Azure: the S3 Function App on the Flex Consumption plan, metadata in Cosmos DB (Strong,
// one write region), bytes and tables in one storage account, the S3 accounts' secrets in Key Vault,
// telemetry, platform logs, alerts and a workbook on one Log Analytics workspace.
// Every connection is identity-based: no storage or Cosmos key is created, read or stored.
//
//   azd up                                       (azure.yaml, infra/main.bicepparam)
//   az deployment group create -g <rg> -f infra/main.bicep -p namePrefix=<prefix>
//
// R2META_CREDENTIALS is a Key Vault reference; the secret is written once outside the template (README
// "Deploy to Azure"). Names the app also knows (database, containers, partition keys, indexing, blob
// container, table prefix, setting names) are defined in code; tests/R2Meta.Infra.Tests compares this
// template with them.

targetScope = 'resourceGroup'

@description('Prefix of every resource name: lowercase letters, digits and hyphens, starting with a letter.')
@minLength(3)
@maxLength(12)
param namePrefix string

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Fallback only (prefer az keyvault secret set --file): when not empty, written to Key Vault as R2META_CREDENTIALS, comma-separated accessKeyId:secret[:canonicalUserId[:displayName]]. Never pass it on a command line.')
@secure()
param r2metaCredentials string = ''

@description('Object id of the operator (user or group) granted Key Vault Secrets Officer to write the credentials secret; azd passes AZURE_PRINCIPAL_ID. Empty: nobody.')
param operatorPrincipalId string = ''

@description('Type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

@description('E-mail address alerts are sent to; empty: the action group has no receiver yet.')
param alertEmail string = ''

@description('Prefix of the runbook links in alerts: empty keeps repository paths (docs/runbooks/<alert>.md); e.g. https://github.com/<org>/<repo>/blob/main/.')
param runbookBaseUrl string = ''

@description('p99 latency budget (ms) per S3 operation for the latency alert; "default" covers the rest. Byte-carrying operations get more.')
param p99BudgetsMs object = {
  default: 1000
  PutObject: 10000
  GetObject: 10000
  UploadPart: 10000
  UploadPartCopy: 10000
  CopyObject: 10000
  CompleteMultipartUpload: 5000
  DeleteObjects: 5000
  DeleteBucket: 5000
}

@description('FUNCTIONS_REQUEST_BODY_SIZE_LIMIT in bytes: the largest request body the Functions host accepts (its default is 100 MB). Default: S3\'s 5 GiB single-PUT maximum plus 1/64 for aws-chunked signature framing.')
@minValue(104857600)
param requestBodySizeLimitBytes int = 5452595200

@description('R2META_BASE_DOMAIN: the domain under which virtual-hosted-style bucket names resolve (bucket.<domain>). Empty keeps path-style addressing only.')
param baseDomain string = ''

@description('R2META_NOTIFICATION_QUEUE_URI: queue endpoint of the account whose queues event notification ARNs name (arn:aws:sqs:<region>:<account>:<queue> -> queue <queue>). Empty: the app\'s storage account, on which the app\'s identity already holds Storage Queue Data Contributor; another account needs that role granted to the app.')
param notificationQueueEndpoint string = ''

@description('R2META_REGION: the region name S3 clients sign requests for.')
param s3Region string = 'auto'

@description('R2META_COSMOS_CONNECTION_MODE: Direct (TCP to replicas, lower latency) or Gateway (HTTPS only).')
@allowed([
  'Direct'
  'Gateway'
])
param cosmosConnectionMode string = 'Direct'

@description('Cosmos DB serverless (pay per request); false provisions autoscale throughput shared by the database.')
param cosmosServerless bool = true

@description('Autoscale maximum RU/s of the database when cosmosServerless is false.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Flex Consumption: most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Flex Consumption: memory of one instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('R2META_CLUSTER_LOCATION: the location label of the first metadata cluster (the Cosmos account above), which CreateBucket\'s LocationConstraint selects and GetBucketLocation answers. Empty: s3Region.')
param metadataLocationLabel string = ''

@description('Metadata clusters beyond the first, each its own Cosmos DB account: [{ name: \'eu1\', locationLabel: \'weur\', region: \'westeurope\' (optional: location), weight: 1 (optional) }]. New buckets go to a cluster by LocationConstraint, else by weight; script/buckets moves buckets between clusters (docs/bucket-move.md). Names: lowercase letters and digits, stable once buckets live there.')
param extraMetadataClusters array = []

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

// Names the code defines too (R2MetaSettings defaults, CosmosModel, TableMetadataOptions, BlobStoreOptions).
var cosmosDatabaseName = 'r2meta'
var blobContainerName = 'r2meta-objects'
var tablePrefix = 'r2meta'

var suffix = uniqueString(resourceGroup().id, namePrefix)
var prefix = toLower(namePrefix)
var storageAccountName = take('${replace(prefix, '-', '')}${suffix}', 24)
var functionAppName = '${prefix}-func-${suffix}'
var deploymentContainerName = 'app-package'
// Key Vault names: 3-24 alphanumerics and hyphens; dropping the prefix's hyphens avoids a double hyphen.
var keyVaultName = take('${replace(prefix, '-', '')}kv${suffix}', 24)
var credentialsSecretName = 'r2meta-credentials'
var keyEncryptionKeySecretName = 'r2meta-key-encryption-key'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: '${prefix}-logs-${suffix}'
    appInsightsName: '${prefix}-appi-${suffix}'
    location: location
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    skuName: storageSku
    objectContainerName: blobContainerName
    bucketsTableName: '${tablePrefix}buckets'
    objectsTableName: '${tablePrefix}objects'
    deploymentContainerName: deploymentContainerName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: keyVaultName
    location: location
    credentialsSecretName: credentialsSecretName
    keyEncryptionKeySecretName: keyEncryptionKeySecretName
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
    credentialsFallback: r2metaCredentials
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: '${prefix}-cosmos-${suffix}'
    location: location
    databaseName: cosmosDatabaseName
    serverless: cosmosServerless
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
  }
}

// One Cosmos DB account per extra metadata cluster, with the same containers (cosmos.bicep) and Strong consistency.
var extraCosmosAccountNames = [for cluster in extraMetadataClusters: take('${prefix}-${cluster.name}-${suffix}', 44)]

module extraCosmos 'modules/cosmos.bicep' = [for (cluster, i) in extraMetadataClusters: {
  name: 'cosmos-${cluster.name}'
  params: {
    accountName: extraCosmosAccountNames[i]
    location: cluster.?region ?? location
    databaseName: cosmosDatabaseName
    serverless: cosmosServerless
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
  }
}]

// R2META_CLUSTERS_JSON: the extra metadata clusters (R2Meta.Hosting.ClusterSettings). Each account's endpoint is known
// from its name, so the app setting needs no module output.
var extraClusterSettings = [for (cluster, i) in extraMetadataClusters: {
  name: cluster.name
  location: cluster.locationLabel
  weight: cluster.?weight ?? 1
  cosmosEndpoint: 'https://${extraCosmosAccountNames[i]}.documents.azure.com:443/'
}]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${prefix}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  kind: 'functionapp,linux'
  // azd deploys the `api` service of azure.yaml to the resource carrying this tag.
  tags: {
    'azd-service-name': 'api'
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    // Key Vault references resolve with the system-assigned identity (Key Vault Secrets User, roles.bicep).
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [
        // Functions host state (blobs, queues, timer leases) through the managed identity.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.outputs.name
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: monitoring.outputs.connectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'Authorization=AAD'
        }
        // Resolved by the platform with the app's identity: the value is never in the template, the
        // deployment history or the site config. Unresolved, the app refuses to start (R2MetaSettings).
        {
          name: 'R2META_CREDENTIALS'
          value: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.credentialsSecretUri})'
        }
        // The AES-256 key sealing stored access-key secrets (script/keys), resolved the same way.
        {
          name: 'R2META_KEY_ENCRYPTION_KEY'
          value: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.keyEncryptionKeySecretUri})'
        }
        // The host answers 413 above this (default 100 MB). S3 allows a 5 GiB single PUT, so the host should
        // not refuse what the app accepts (S3Options.MaxObjectSize answers EntityTooLarge beyond it). The real
        // bound on a single PUT is time: the front end drops a request not answered within 230 s, so
        // clients send large objects as multipart uploads (README "Deploy to Azure").
        {
          name: 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT'
          value: string(requestBodySizeLimitBytes)
        }
        {
          name: 'R2META_METADATA'
          value: 'cosmos'
        }
        {
          name: 'R2META_COSMOS_ENDPOINT'
          value: cosmos.outputs.endpoint
        }
        {
          name: 'R2META_COSMOS_DATABASE'
          value: cosmosDatabaseName
        }
        {
          name: 'R2META_COSMOS_CONNECTION_MODE'
          value: cosmosConnectionMode
        }
        {
          name: 'R2META_COSMOS_USE_IDENTITY'
          value: 'true'
        }
        {
          name: 'R2META_STORAGE_BLOB_URI'
          value: storage.outputs.blobEndpoint
        }
        {
          name: 'R2META_STORAGE_TABLE_URI'
          value: storage.outputs.tableEndpoint
        }
        {
          name: 'R2META_NOTIFICATION_QUEUE_URI'
          value: empty(notificationQueueEndpoint) ? storage.outputs.queueEndpoint : notificationQueueEndpoint
        }
        {
          name: 'R2META_BLOB_CONTAINER'
          value: blobContainerName
        }
        {
          name: 'R2META_TABLE_PREFIX'
          value: tablePrefix
        }
        {
          name: 'R2META_BASE_DOMAIN'
          value: baseDomain
        }
        {
          name: 'R2META_REGION'
          value: s3Region
        }
        {
          name: 'R2META_CLUSTER_LOCATION'
          value: metadataLocationLabel
        }
        {
          name: 'R2META_CLUSTERS_JSON'
          value: string(extraClusterSettings)
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: storage.outputs.deploymentContainerUrl
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.identity.principalId
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    keyVaultName: keyVault.outputs.name
  }
}

module extraCosmosRoles 'modules/cosmos-role.bicep' = [for (cluster, i) in extraMetadataClusters: {
  name: 'cosmos-role-${cluster.name}'
  params: {
    principalId: functionApp.identity.principalId
    cosmosAccountName: extraCosmos[i].outputs.name
  }
}]

module diagnostics 'modules/diagnostics.bicep' = {
  name: 'diagnostics'
  params: {
    workspaceId: monitoring.outputs.workspaceId
    cosmosAccountName: cosmos.outputs.name
    storageAccountName: storage.outputs.name
    functionAppName: functionApp.name
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: prefix
    location: location
    workspaceId: monitoring.outputs.workspaceId
    cosmosAccountId: cosmos.outputs.id
    cosmosServerless: cosmosServerless
    alertEmail: alertEmail
    runbookBaseUrl: runbookBaseUrl
    p99BudgetsMs: p99BudgetsMs
  }
}

@description('The S3 endpoint: point S3 clients (path-style addressing) here.')
output s3Endpoint string = 'https://${functionApp.properties.defaultHostName}'

@description('Name of the Function App, for az functionapp deployment / func azure functionapp publish.')
output functionAppName string = functionApp.name

output storageAccountName string = storage.outputs.name
output cosmosAccountName string = cosmos.outputs.name
output cosmosEndpoint string = cosmos.outputs.endpoint

@description('Key Vault holding the credentials secret (az keyvault secret set --vault-name <this> --name r2meta-credentials --file ...).')
output keyVaultName string = keyVault.outputs.name

@description('Name of the credentials secret in keyVaultName.')
output credentialsSecretName string = credentialsSecretName

@description('Key Vault secret holding R2META_KEY_ENCRYPTION_KEY (the postprovision hook generates it when missing).')
output keyEncryptionKeySecretName string = keyEncryptionKeySecretName
