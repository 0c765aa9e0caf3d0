/**
 * Shapes of well-known service tokens, hidden wherever they appear in text.
 *
 * Ported from gitleaks v8.30.1, config/gitleaks.toml (MIT License, Copyright (c) 2019 Zachary Rice):
 * only the rules that recognise a token by its own distinctive prefix. Rules that need a vendor name nearby
 * ("…twitter… = <32 chars>") are left out: they cost a scan each, and the key=value rule of the Redactor
 * already hides values after api_key/token/secret-like names. Go's inline `(?i)` became explicit character
 * classes, and gitleaks' trailing `(?:[\x60'"\s;]|\\[nr]|$)` a lookahead, so JavaScript runs them as one
 * alternation. Each entry should start with something specific (a literal or `\b` + literal), as anything else
 * is tried at every position of every text (the one exception, Azure's, measured at 0.15 µs per 500 characters). Entries starting with `\b` share one word-boundary test.
 */
export const TOKEN_SHAPES: readonly string[] = [
  // 1password-secret-key, 1password-service-account-token
  String.raw`\bA3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}\b`,
  String.raw`\bops_eyJ[a-zA-Z0-9+/]{250,}={0,3}`,
  // adobe-client-secret, age-secret-key, airtable-personnal-access-token, alibaba-access-key-id
  String.raw`\bp8e-[a-zA-Z0-9]{32}\b`,
  String.raw`\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`,
  String.raw`\bpat[a-zA-Z0-9]{14}\.[a-f0-9]{64}\b`,
  String.raw`\bLTAI[a-zA-Z0-9]{20}\b`,
  // artifactory-api-key, artifactory-reference-token
  String.raw`\bAKCp[A-Za-z0-9]{69}\b`,
  String.raw`\bcmVmd[A-Za-z0-9]{59}\b`,
  // aws-access-token (and the other key id prefixes AWS documents), aws-amazon-bedrock-api-key-long-lived
  String.raw`\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b`,
  String.raw`\bABSK[A-Za-z0-9+/]{109,269}={0,2}`,
  // azure-ad-client-secret (its "<digit>Q~" marker after three characters)
  String.raw`(?<![A-Za-z0-9_~.-])[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}(?![a-zA-Z0-9_~.-])`,
  // clickhouse-cloud-api-secret-key, clojars-api-token, cloudflare-origin-ca-key, databricks-api-token
  String.raw`\b4b1d[A-Za-z0-9]{38}\b`,
  String.raw`\b(?:CLOJARS|clojars)_[a-zA-Z0-9]{60}`,
  String.raw`\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}`,
  String.raw`\bdapi[a-f0-9]{32}(?:-\d)?\b`,
  // digitalocean-access-token, -pat, -refresh-token; doppler-api-token; duffel-api-token; dynatrace-api-token
  String.raw`\bdo[opr]_v1_[a-f0-9]{64}`,
  String.raw`\bdp\.pt\.[a-zA-Z0-9]{43}`,
  String.raw`\bduffel_(?:test|live)_[a-zA-Z0-9_=-]{43}`,
  String.raw`\bdt0c01\.[a-zA-Z0-9]{24}\.[a-zA-Z0-9]{64}`,
  // easypost-api-token, easypost-test-api-token, facebook-page-access-token, flutterwave keys, flyio-access-token
  String.raw`\bEZ[AT]K[a-zA-Z0-9]{54}\b`,
  String.raw`\bEAA[MC][a-zA-Z0-9]{100,}`,
  String.raw`\bFLWSECK_TEST-[a-hA-H0-9]{12,32}(?:-X)?`,
  String.raw`\b(?:fo1_[\w-]{43}|fm1[ar]_[a-zA-Z0-9+/]{100,}={0,3}|fm2_[a-zA-Z0-9+/]{100,}={0,3})`,
  // frameio-api-token, gcp-api-key
  String.raw`\bfio-u-[a-zA-Z0-9_=-]{64}`,
  String.raw`\bAIza[\w-]{35}`,
  // github-pat, -oauth, -app-token, -refresh-token, -fine-grained-pat (shorter fine-grained tokens too)
  String.raw`\bgh[pousr]_[A-Za-z0-9]{36,255}\b`,
  String.raw`\bgithub_pat_\w{22,255}`,
  // gitlab-pat, -ptt, -deploy-token, -feed-token, -runner-authentication-token, -scim-token, -feature-flag-client-token,
  // -incoming-mail-token, -kubernetes-agent-token, -oauth-app-secret, -cicd-job-token, -rrt, -session-cookie
  String.raw`\b(?:glpat|glptt|gldt|glft|glrt|glsoat|glffct|glimt|glagent|gloas)-[\w-]{20,}`,
  String.raw`\bglcbt-[0-9a-zA-Z]{1,5}_[\w-]{20}`,
  String.raw`\bGR1348941[\w-]{20}`,
  String.raw`\b_gitlab_session=[0-9a-z]{32}`,
  // grafana-api-key, grafana-cloud-api-token, grafana-service-account-token
  String.raw`\beyJrIjoi[A-Za-z0-9]{70,400}={0,3}`,
  String.raw`\bglc_[A-Za-z0-9+/]{32,400}={0,3}`,
  String.raw`\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}`,
  // harness-api-key, hashicorp-tf-api-token (from its ".atlasv1." marker), heroku-api-key-v2
  String.raw`\b[ps]at\.[\w-]{22}\.[a-zA-Z0-9]{24}\.[a-zA-Z0-9]{20}`,
  String.raw`\.atlasv1\.[a-zA-Z0-9_=-]{60,70}`,
  String.raw`\bHRKU-AA[\w-]{58}`,
  // huggingface-access-token, huggingface-organization-api-token, infracost-api-token, intra42-client-secret
  String.raw`\bhf_[a-zA-Z]{34}\b`,
  String.raw`\bapi_org_[a-zA-Z]{34}\b`,
  String.raw`\bico-[a-zA-Z0-9]{32}\b`,
  String.raw`\bs-s4t2(?:ud|af)-[a-fA-F0-9]{64}`,
  // linear-api-key, microsoft-teams-webhook (the path after the host), new-relic keys, notion-api-token, npm-access-token
  String.raw`\blin_api_[a-zA-Z0-9]{40}`,
  String.raw`\.webhook\.office\.com/webhookb2/[\w@/-]{60,}`,
  String.raw`\bNR(?:AK-[A-Za-z0-9]{27}|II-[A-Za-z0-9-]{32}|JS-[a-f0-9]{19})`,
  String.raw`\bntn_[0-9]{11}[A-Za-z0-9]{35}\b`,
  String.raw`\bnpm_[A-Za-z0-9]{36}\b`,
  // octopus-deploy-api-key, openshift-user-token, perplexity-api-key, planetscale tokens, postman-api-token, prefect-api-token
  String.raw`\bAPI-[A-Z0-9]{26}\b`,
  String.raw`\bsha256~[\w-]{43}`,
  String.raw`\bpplx-[a-zA-Z0-9]{48}`,
  String.raw`\bpscale_(?:tkn|oauth|pw)_[\w=.-]{32,64}`,
  String.raw`\bPMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}`,
  String.raw`\bpnu_[a-zA-Z0-9]{36}`,
  // pulumi-api-token, pypi-upload-token, readme-api-token, rubygems-api-token, scalingo-api-token
  String.raw`\bpul-[a-f0-9]{40}`,
  String.raw`\bpypi-AgEIcHlwaS5vcmc[\w-]{50,1000}`,
  String.raw`\brdme_[a-z0-9]{70}`,
  String.raw`\brubygems_[a-f0-9]{48}`,
  String.raw`\btk-us-[\w-]{48}`,
  // sendgrid-api-token, sendinblue-api-token, sentry-user-token, sentry-org-token, settlemint tokens, shippo-api-token
  String.raw`\bSG\.[a-zA-Z0-9=_.-]{66}`,
  String.raw`\bxkeysib-[a-f0-9]{64}-[a-zA-Z0-9]{16}`,
  String.raw`\bsntryu_[a-f0-9]{64}`,
  String.raw`\bsntrys_eyJpYXQiO[a-zA-Z0-9+/=_]{50,}`,
  String.raw`\bsm_[aps]at_[a-zA-Z0-9]{16}`,
  String.raw`\bshippo_(?:live|test)_[a-fA-F0-9]{40}`,
  // shopify access tokens and shared secret; slack tokens and webhooks; square-access-token
  String.raw`\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}`,
  String.raw`\bxox[abeoprs]-[A-Za-z0-9-]{10,}`,
  String.raw`\bxapp-\d-[A-Za-z0-9]+-\d+-[A-Za-z0-9]+`,
  String.raw`\b(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}`,
  String.raw`\b(?:EAAA|sq0atp-)[\w-]{22,60}`,
  // stripe-access-token; OpenAI and Anthropic keys (every sk- key of 20+ characters); twilio-api-key; typeform-api-token
  String.raw`\b[rs]k_(?:test|live|prod)_[a-zA-Z0-9]{10,99}`,
  String.raw`\bsk-(?:ant-)?[A-Za-z0-9_-]{20,}`,
  String.raw`\bSK[0-9a-fA-F]{32}\b`,
  String.raw`\btfp_[a-zA-Z0-9_.=-]{59}`,
  // vault-service-token, vault-batch-token
  String.raw`\bhv[sb]\.[\w-]{90,300}`,
];
