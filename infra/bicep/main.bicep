// fanfold's Azure resources: the storage account that holds all of its state (every container,
// queue and table the code uses), Event Grid wiring that turns uploads into messages on
// blob-events, and, in `functions` mode, a Function App that runs `fanfold serve-functions` as a
// custom handler: on the Flex Consumption plan (FC1) by default, or on the Linux Consumption plan
// (Y1) with functionsPlan=consumption. In `container` mode the workers run elsewhere (infra/k8s/
// with KEDA) and only storage and Event Grid are created here.
//
//   az deployment group create -f infra/bicep/main.bicep -g RG -p @infra/bicep/main.parameters.example.json
//
// The names below are the ones the code uses with the default task hub (FANFOLD_HUB=fanfold),
// no --prefix and --partitions 4. The workers create anything missing at start-up, but KEDA and
// Event Grid need their queues before the first worker runs.
//
// Resource shapes follow Microsoft's Flex Consumption samples
// (github.com/Azure-Samples/azure-functions-flex-consumption-samples, IaC/bicep) and the
// Microsoft.Web 2024-04-01 schema (functionAppConfig: deployment, runtime, scaleAndConcurrency).
// Never compiled here: no Bicep compiler is installable in this sandbox (infra/README.md).

@description('Region of every resource. With functionsPlan=flex it must be a region that offers Flex Consumption (`az functionapp list-flexconsumption-locations`).')
param location string = resourceGroup().location

@description('Start of every resource name: lower-case letters and digits. The storage account name adds 13 characters of uniqueString and must stay within 24.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'fanfold'

@description('functions: also create a Functions plan and a Function App running `fanfold serve-functions`. container: storage and Event Grid only; run the workers with infra/k8s/.')
@allowed([
  'functions'
  'container'
])
param computeMode string = 'functions'

@description('Hosting plan of the Function App. flex: Flex Consumption (FC1), where Microsoft points new apps. consumption: Linux Consumption (Y1), which gets no new features and reaches end of support on 30 September 2028; kept for regions without Flex Consumption.')
@allowed([
  'flex'
  'consumption'
])
param functionsPlan string = 'flex'

@description('Flex Consumption: most on-demand instances (functionAppConfig.scaleAndConcurrency.maximumInstanceCount). 40 is the lowest value Microsoft documents for every region (lower values are in preview in a few regions only); 1000 the highest.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Flex Consumption: memory of each instance in MB, which is also the memory every billed second is charged for (GB-s = this / 1024 x active seconds).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Linux Consumption only: most instances (siteConfig.functionAppScaleLimit). Microsoft documents 100 as the Linux Consumption maximum.')
@minValue(1)
@maxValue(100)
param consumptionScaleLimit int = 20

@description('Optional. Key Vault secret URI holding FANFOLD_NOTIFY_WEBHOOKS (comma-separated name=url specs). The Function App reads it through its managed identity: grant that identity (output functionAppPrincipalId) "Key Vault Secrets User" on the vault.')
param notifyWebhooksSecretUri string = ''

@description('Optional, used only without notifyWebhooksSecretUri. FANFOLD_NOTIFY_WEBHOOKS itself; it ends up as a plain app setting, readable by anyone who can read the app\'s configuration, so prefer the Key Vault reference.')
@secure()
param notifyWebhooks string = ''

var functionsMode = computeMode == 'functions'
var flexPlan = functionsPlan == 'flex'
var flexApp = functionsMode && flexPlan
var consumptionApp = functionsMode && !flexPlan
var suffix = uniqueString(resourceGroup().id)
var storageAccountName = take(toLower('${namePrefix}${suffix}'), 24)

var containerNames = [
  'uploads'
  'chain-spill'
  'chain-results'
  'fanfold-largemessages'
  'fanfold-leases'
]

// The per-job partials queues (chain-p-<hash>) are created and deleted by the chained pipeline
// at run time; the connection string's account key allows that.
var queueNames = [
  'blob-events'
  'blob-events-poison'
  'chain-split'
  'chain-chunks'
  'chain-merge'
  'chain-poison'
  'fanfold-workitems'
  'fanfold-poison'
  'fanfold-control-00'
  'fanfold-control-01'
  'fanfold-control-02'
  'fanfold-control-03'
]

// Table names are case-insensitive in Azure; these keep the code's spelling.
var tableNames = [
  'fanfoldjobs'
  'fanfoldHistory'
  'fanfoldInstances'
]

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // fanfold signs with the account key (SharedKey) or a SAS, and so does the Functions host
    // through AzureWebJobsStorage; turning shared keys off would lock both out.
    allowSharedKeyAccess: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = [for name in containerNames: {
  parent: blobService
  name: name
  properties: {
    publicAccess: 'None'
  }
}]

// Flex Consumption deploys the app package (`az functionapp deployment source config-zip`) to a
// blob container and runs it from there. Not one of the code's containers: fanfold never reads it.
var deploymentContainerName = 'app-package'

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = if (flexApp) {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-01-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-01-01' = [for name in queueNames: {
  parent: queueService
  name: name
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-01-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-01-01' = [for name in tableNames: {
  parent: tableService
  name: name
}]

// BlobCreated on uploads/ becomes a message on blob-events, in Event Grid's schema: the same
// message `fanfold upload` posts itself, so a job started either way is the same job (one job
// per blob and ETag; the second event starts nothing).
resource storageEvents 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: '${namePrefix}-storage-events'
  location: location
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource uploadsToBlobEvents 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: storageEvents
  name: 'uploads-to-blob-events'
  properties: {
    destination: {
      endpointType: 'StorageQueue'
      properties: {
        resourceId: storage.id
        queueName: 'blob-events'
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/uploads/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
  dependsOn: [
    queues
  ]
}

// Built here for the app settings only, never output: a deployment's outputs are readable by
// anyone who can read the deployment.
var storageConnectionString = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

var webhookSetting = !empty(notifyWebhooksSecretUri) ? [
  {
    name: 'FANFOLD_NOTIFY_WEBHOOKS'
    value: '@Microsoft.KeyVault(SecretUri=${notifyWebhooksSecretUri})'
  }
] : !empty(notifyWebhooks) ? [
  {
    name: 'FANFOLD_NOTIFY_WEBHOOKS'
    value: notifyWebhooks
  }
] : []

// App settings both plans share.
var commonAppSettings = concat([
  {
    name: 'AzureWebJobsStorage'
    value: storageConnectionString
  }
  {
    // The same account: fanfold's state and the host's bookkeeping can share it.
    name: 'AZURE_STORAGE_CONNECTION_STRING'
    value: storageConnectionString
  }
  {
    name: 'FANFOLD_HUB'
    value: 'fanfold'
  }
], webhookSetting)

// Flex Consumption refuses FUNCTIONS_WORKER_RUNTIME and manages FUNCTIONS_EXTENSION_VERSION itself
// (Microsoft's "Flex Consumption plan deprecations"): the runtime is functionAppConfig.runtime.
// The only Flex-specific setting is the connection string the platform reads the package with.
var flexAppSettings = concat(commonAppSettings, [
  {
    name: 'DEPLOYMENT_STORAGE_CONNECTION_STRING'
    value: storageConnectionString
  }
])

var consumptionAppSettings = concat(commonAppSettings, [
  {
    name: 'FUNCTIONS_WORKER_RUNTIME'
    value: 'custom'
  }
  {
    name: 'FUNCTIONS_EXTENSION_VERSION'
    value: '~4'
  }
])

// The Flex plan and app are named apart from the Consumption ones: ARM rejects (or Bicep silently
// drops) two resources of one type and name even when their conditions exclude each other, and
// an app cannot move from Y1 to FC1 in place, so a Flex app always comes up beside an old one.
resource flexPlanResource 'Microsoft.Web/serverfarms@2024-04-01' = if (flexApp) {
  name: '${namePrefix}-flex-plan'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux: Flex Consumption has no other
  }
}

resource flexFunctionApp 'Microsoft.Web/sites@2024-04-01' = if (flexApp) {
  name: '${namePrefix}-fx-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned' // reads the Key Vault reference, if any
  }
  properties: {
    serverFarmId: flexPlanResource.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: flexAppSettings
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            // An account-key connection string like every other credential here; the system
            // identity would need a Storage Blob Data role assigned, which needs Owner rights.
            type: 'StorageAccountConnectionString'
            storageAccountConnectionStringName: 'DEPLOYMENT_STORAGE_CONNECTION_STRING'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        // A custom handler: the host starts `fanfold serve-functions` (host.json customHandler).
        // 1.0 is the only version Microsoft's Flex stack list offers for `custom`.
        name: 'custom'
        version: '1.0'
      }
    }
  }
  dependsOn: [
    deploymentContainer
  ]
}

resource consumptionPlanResource 'Microsoft.Web/serverfarms@2024-04-01' = if (consumptionApp) {
  name: '${namePrefix}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: 'Y1'
    tier: 'Dynamic'
  }
  properties: {
    reserved: true // Linux
  }
}

resource consumptionFunctionApp 'Microsoft.Web/sites@2024-04-01' = if (consumptionApp) {
  name: '${namePrefix}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned' // reads the Key Vault reference, if any
  }
  properties: {
    serverFarmId: consumptionPlanResource.id
    reserved: true
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      functionAppScaleLimit: consumptionScaleLimit
      appSettings: consumptionAppSettings
    }
  }
}

output storageAccountName string = storage.name
output functionAppName string = flexApp ? flexFunctionApp.name : consumptionApp ? consumptionFunctionApp.name : ''
output functionAppPrincipalId string = flexApp ? flexFunctionApp.identity.principalId : consumptionApp ? consumptionFunctionApp.identity.principalId : ''
output eventGridSystemTopicName string = storageEvents.name
