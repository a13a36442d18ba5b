#!/bin/sh
# azd postprovision hook: make sure the S3 credentials secret and the key-encryption key exist in Key Vault.
#
# The template never holds the credentials (R2META_CREDENTIALS is a Key Vault reference). On the first
# `azd up` the secret does not exist yet, so this hook GENERATES one account (random access key id and
# secret), stores it with `az keyvault secret set --file` (the value never appears on a command line or in
# the process list) and restarts the app so the reference resolves. The same for R2META_KEY_ENCRYPTION_KEY
# (32 random bytes, base64), which seals the stored access keys' secrets (script/keys). An existing secret
# is never touched: to use your own accounts, write the secret yourself (README "Deploy to Azure") before
# or after `azd up`.
#
# azd exports the template's outputs (keyVaultName, credentialsSecretName, keyEncryptionKeySecretName,
# functionAppName) and AZURE_RESOURCE_GROUP to hooks.
set -eu

vault="${keyVaultName:-${KEYVAULTNAME:-}}"
name="${credentialsSecretName:-${CREDENTIALSSECRETNAME:-r2meta-credentials}}"
kek_name="${keyEncryptionKeySecretName:-${KEYENCRYPTIONKEYSECRETNAME:-r2meta-key-encryption-key}}"
app="${functionAppName:-${FUNCTIONAPPNAME:-}}"
group="${AZURE_RESOURCE_GROUP:-}"
if [ -z "$vault" ] || [ -z "$app" ] || [ -z "$group" ]; then
  echo "postprovision: keyVaultName, functionAppName or AZURE_RESOURCE_GROUP is not set; run under azd." >&2
  exit 1
fi

umask 077
file=$(mktemp)
trap 'rm -f "$file"' EXIT INT TERM

# Exit status 0 when secret $1 exists, 1 when it does not. The deploying user's Key Vault Secrets Officer
# role can take a few minutes to apply: retry on anything but "not found".
secret_exists() {
  attempt=1
  while :; do
    if error=$(az keyvault secret show --vault-name "$vault" --name "$1" --query id --output none 2>&1); then
      return 0
    fi
    case "$error" in
      *SecretNotFound*) return 1 ;;
    esac
    if [ "$attempt" -ge 10 ]; then
      echo "postprovision: cannot read '$1' in '$vault': $error" >&2
      exit 1
    fi
    attempt=$((attempt + 1))
    sleep 30
  done
}

restart=0
if secret_exists "$kek_name"; then
  echo "postprovision: secret '$kek_name' already exists in '$vault'; leaving it as it is."
else
  # 32 random bytes in base64, written through the file like the credentials below.
  head -c 32 /dev/urandom | base64 | tr -d '\n' > "$file"
  az keyvault secret set --vault-name "$vault" --name "$kek_name" --file "$file" --encoding utf-8 \
    --content-type 'base64 of 32 bytes: AES-256 key sealing stored access-key secrets' --output none
  : > "$file"
  restart=1
  echo "postprovision: generated the key-encryption key in secret '$kek_name' of '$vault'."
fi

if secret_exists "$name"; then
  echo "postprovision: secret '$name' already exists in '$vault'; leaving it as it is."
  if [ "$restart" -eq 1 ]; then
    az functionapp restart --resource-group "$group" --name "$app" --output none
  fi
  exit 0
fi

# Access key id: 20 upper-case hex characters (AWS ids are 20 characters); secret: 40 hex characters.
key="R2M$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n' | tr 'a-f' 'A-F' | cut -c1-17)"
# printf is a shell builtin: the secret is written to the file without passing through a command line.
printf '%s:%s' "$key" "$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')" > "$file"
az keyvault secret set --vault-name "$vault" --name "$name" --file "$file" --encoding utf-8 \
  --content-type 'accessKeyId:secret[:canonicalUserId[:displayName]], comma-separated' --output none
rm -f "$file"

# Key Vault references are re-read on restart (otherwise within 24 hours).
az functionapp restart --resource-group "$group" --name "$app" --output none
echo "postprovision: generated S3 account '$key' in secret '$name' of '$vault'. Its secret:"
echo "  az keyvault secret show --vault-name $vault --name $name --query value --output tsv"
