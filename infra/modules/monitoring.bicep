// Workspace-based Application Insights: the app's OpenTelemetry spans and metrics land in the workspace's
// AppRequests and AppMetrics tables, next to the platform logs of diagnostics.bicep, where alerts.bicep and
// the workbook query them. Local (instrumentation key) authentication is disabled:
// the Function App sends telemetry with its managed identity (Monitoring Metrics Publisher, roles.bicep).

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param appInsightsName string

@description('Azure region.')
param location string

@description('Days the workspace keeps logs.')
@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

// The per-operation dashboard as code: the JSON lives in infra/workbooks (tested there); its queries run
// against this workspace. Workbook names must be GUIDs: a stable one per workspace.
resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(workspace.id, 'r2meta-workbook')
  location: location
  kind: 'shared'
  properties: {
    displayName: 'R2Meta: S3 operations'
    category: 'workbook'
    sourceId: workspace.id
    serializedData: string(union(loadJsonContent('../workbooks/r2meta.workbook.json'), {
      fallbackResourceIds: [
        workspace.id
      ]
    }))
  }
}

output workspaceId string = workspace.id
output appInsightsId string = appInsights.id
output appInsightsName string = appInsights.name
output connectionString string = appInsights.properties.ConnectionString
