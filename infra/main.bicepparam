// Parameters of main.bicep for `azd up` (azd sets AZURE_ENV_NAME, AZURE_LOCATION and AZURE_PRINCIPAL_ID) and for
// `az deployment group create -p infra/main.bicepparam` with those variables exported. R2META_* variables are
// optional (azd env set R2META_ALERT_EMAIL oncall@example.com). No secret is read here: the S3 credentials are
// written to Key Vault by the postprovision hook or the operator (README "Deploy to Azure").
using 'main.bicep'

// namePrefix allows 12 characters; azd environment names may be longer.
param namePrefix = take(toLower(readEnvironmentVariable('AZURE_ENV_NAME')), 12)

param location = readEnvironmentVariable('AZURE_LOCATION')

// The deploying user may then write the credentials secret (Key Vault Secrets Officer on the vault only).
param operatorPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')

// A user by default; CI signed in as a service principal sets AZURE_PRINCIPAL_TYPE=ServicePrincipal.
param operatorPrincipalType = readEnvironmentVariable('AZURE_PRINCIPAL_TYPE', 'User')

param alertEmail = readEnvironmentVariable('R2META_ALERT_EMAIL', '')

param runbookBaseUrl = readEnvironmentVariable('R2META_RUNBOOK_BASE_URL', '')

param baseDomain = readEnvironmentVariable('R2META_BASE_DOMAIN', '')

param notificationQueueEndpoint = readEnvironmentVariable('R2META_NOTIFICATION_QUEUE_URI', '')
