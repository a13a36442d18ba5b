// Cosmos DB Built-in Data Contributor for the Function App's identity on one more metadata cluster's account
// (the first cluster's is in roles.bicep).

@description('Object id of the Function App managed identity.')
param principalId string

@description('Cosmos DB account of an extra metadata cluster.')
param cosmosAccountName string

var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource cosmosDataRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmos.id, principalId, cosmosDataContributor)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    principalId: principalId
    scope: cosmos.id
  }
}
