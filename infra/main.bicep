// R2Meta on Azure: the S3 Function App on the Flex Consumption plan, metadata in Cosmos DB (Strong,
// one write region), bytes and tables in one storage account, telemetry in Application Insights.
// Every connection is identity-based: no storage or Cosmos key is created, read or stored.
//
//   az deployment group create -g <rg> -f infra/main.bicep -p namePrefix=<prefix> r2metaCredentials=<id:secret>
//
// Names the app also knows (database, containers, partition keys, indexing, blob container, table
// prefix, setting names) are defined in code; tests/R2Meta.Infra.Tests compares this template with them.

targetScope = 'resourceGroup'

@description('Prefix of every resource name: lowercase letters, digits and hyphens, starting with a letter.')
@minLength(3)
@maxLength(12)
param namePrefix string

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('R2META_CREDENTIALS: comma-separated accessKeyId:secret[:canonicalUserId[:displayName]]. Required: an empty value would enable the development account.')
@secure()
@minLength(3)
param r2metaCredentials string

@description('R2META_BASE_DOMAIN: the domain under which virtual-hosted-style bucket names resolve (bucket.<domain>). Empty keeps path-style addressing only.')
param baseDomain string = ''

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
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
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
        {
          name: 'R2META_CREDENTIALS'
          value: r2metaCredentials
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
  }
}

@description('The S3 endpoint: point S3 clients (path-style addressing) here.')
output s3Endpoint string = 'https://${functionApp.properties.defaultHostName}'

@description('Name of the Function App, for az functionapp deployment / func azure functionapp publish.')
output functionAppName string = functionApp.name

output storageAccountName string = storage.outputs.name
output cosmosAccountName string = cosmos.outputs.name
output cosmosEndpoint string = cosmos.outputs.endpoint
