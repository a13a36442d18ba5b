// Alert rules as code. Each alert names its runbook (docs/runbooks/<alert>.md) in its description and in
// the payload the action group receives: customProperties.runbook (log search alerts) or
// webHookProperties.runbook (metric alerts). tests/R2Meta.Infra.Tests checks every link resolves to a file.
//
// Log search alerts query the workspace's AppRequests and AppMetrics tables, where the app's OpenTelemetry
// spans and metrics land (names in infra/queries/*.kql); Cosmos alerts are platform metric alerts.

@description('Prefix of the alert and action group names.')
param namePrefix string

@description('Azure region of the log search alert rules.')
param location string

@description('Resource id of the Log Analytics workspace holding AppRequests and AppMetrics.')
param workspaceId string

@description('Resource id of the Cosmos DB account.')
param cosmosAccountId string

@description('True when Cosmos DB is serverless: there is no provisioned throughput to be near, so no RU alert.')
param cosmosServerless bool

@description('E-mail address the action group notifies; empty: none (attach receivers to the action group later).')
param alertEmail string

@description('Prefix of the runbook links: empty keeps repository-relative paths (docs/runbooks/...); e.g. https://github.com/<org>/<repo>/blob/main/ for links that open in a browser.')
param runbookBaseUrl string

@description('5xx percentage of an operation\'s requests over 15 minutes that alerts.')
param serverErrorPercent int = 5

@description('p99 budget in milliseconds per S3 operation; "default" for operations not listed.')
param p99BudgetsMs object

@description('Requests an operation needs in the window before its error rate or p99 is judged (fewer are noise).')
param minRequests int = 20

@description('Cosmos DB requests answered 429 in 5 minutes that alert.')
param cosmosThrottledRequests int = 50

@description('Normalized RU consumption (percent of provisioned RU/s on the busiest partition) that alerts.')
param ruConsumptionPercent int = 90

var runbooks = {
  serverErrors: '${runbookBaseUrl}docs/runbooks/s3-5xx-rate.md'
  latency: '${runbookBaseUrl}docs/runbooks/s3-p99-latency.md'
  cosmosThrottling: '${runbookBaseUrl}docs/runbooks/cosmos-throttling.md'
  cosmosRu: '${runbookBaseUrl}docs/runbooks/cosmos-ru-consumption.md'
  maintenance: '${runbookBaseUrl}docs/runbooks/maintenance-job-failures.md'
}

var perOperation = [
  {
    name: 'Operation'
    operator: 'Include'
    values: [
      '*'
    ]
  }
]

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-oncall'
  location: 'global'
  properties: {
    groupShortName: 'r2meta'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'oncall'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

resource serverErrors 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-s3-5xx-rate'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'R2Meta: S3 5xx rate'
    description: 'More than ${serverErrorPercent}% of an S3 operation\'s requests answered 5xx in 15 minutes. Runbook: ${runbooks.serverErrors}'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: replace(loadTextContent('../queries/s3-5xx-rate.kql'), '{minRequests}', string(minRequests))
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'ServerErrorPercent'
          dimensions: perOperation
          operator: 'GreaterThan'
          threshold: serverErrorPercent
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        runbook: runbooks.serverErrors
      }
    }
  }
}

resource latency 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-s3-p99-latency'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'R2Meta: S3 p99 latency over budget'
    description: 'The p99 duration of an S3 operation exceeded its budget over 15 minutes, twice in a row. Runbook: ${runbooks.latency}'
    severity: 2
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: replace(
            replace(loadTextContent('../queries/s3-p99-latency.kql'), '{minRequests}', string(minRequests)),
            '{budgetsMs}',
            string(p99BudgetsMs)
          )
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'P99OverBudget'
          dimensions: perOperation
          operator: 'GreaterThan'
          threshold: 1
          // One slow window is a blip; two in a row is a trend.
          failingPeriods: {
            numberOfEvaluationPeriods: 2
            minFailingPeriodsToAlert: 2
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        runbook: runbooks.latency
      }
    }
  }
}

resource maintenanceFailures 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-maintenance-failures'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'R2Meta: maintenance job failed'
    description: 'A maintenance job (orphan-sweeper, expired-uploads, empty-directory-sweeper) failed in the last hour. Runbook: ${runbooks.maintenance}'
    severity: 3
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: loadTextContent('../queries/maintenance-failures.kql')
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'Failures'
          dimensions: [
            {
              name: 'Job'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        runbook: runbooks.maintenance
      }
    }
  }
}

// Every 429 is a request the app retried or answered 503 (SlowDown): split by container to see which one.
resource cosmosThrottling 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-cosmos-429'
  location: 'global'
  properties: {
    description: 'Cosmos DB answered more than ${cosmosThrottledRequests} requests 429 (throttled) in 5 minutes. Runbook: ${runbooks.cosmosThrottling}'
    severity: 2
    enabled: true
    scopes: [
      cosmosAccountId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'Throttled'
          metricNamespace: 'Microsoft.DocumentDB/databaseAccounts'
          metricName: 'TotalRequests'
          dimensions: [
            {
              name: 'StatusCode'
              operator: 'Include'
              values: [
                '429'
              ]
            }
            {
              name: 'CollectionName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: cosmosThrottledRequests
          timeAggregation: 'Count'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroup.id
        webHookProperties: {
          runbook: runbooks.cosmosThrottling
        }
      }
    ]
  }
}

// Provisioned (autoscale) throughput only: the busiest partition near 100% of its share of RU/s is the step
// before 429s.
resource cosmosRuConsumption 'Microsoft.Insights/metricAlerts@2018-03-01' = if (!cosmosServerless) {
  name: '${namePrefix}-cosmos-ru'
  location: 'global'
  properties: {
    description: 'Cosmos DB normalized RU consumption above ${ruConsumptionPercent}% of provisioned throughput for 15 minutes. Runbook: ${runbooks.cosmosRu}'
    severity: 3
    enabled: true
    scopes: [
      cosmosAccountId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'NearProvisioned'
          metricNamespace: 'Microsoft.DocumentDB/databaseAccounts'
          metricName: 'NormalizedRUConsumption'
          dimensions: [
            {
              name: 'CollectionName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: ruConsumptionPercent
          timeAggregation: 'Maximum'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroup.id
        webHookProperties: {
          runbook: runbooks.cosmosRu
        }
      }
    ]
  }
}

output actionGroupId string = actionGroup.id
