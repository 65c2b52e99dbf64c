import { ALNUM, BASE64, BASE64URL, FakeKeys, HEX } from './fake-keys.js';

/** One positive case per secret format, with the exact span the detector must report. */
export interface SecretCase {
  name: string;
  ruleId: string;
  /** The secret as it appears; the expected span unless `span` says otherwise. */
  secret: string;
  /** Text around it; `{}` marks where the secret goes. */
  context: string;
  /** Exact expected span text when it differs from `secret` (e.g. only the password). */
  span?: string;
  minScore: number;
}

const keys = new FakeKeys(1234);
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const awsKeyId = keys.awsAccessKeyId();
const dbPassword = `Zq8${keys.chars(ALNUM, 13)}`;
const jdbcPassword = `Pw9${keys.chars(ALNUM, 11)}`;
const discordId = Buffer.from('123456789012345678').toString('base64url');

export const SECRET_CASES: SecretCase[] = [
  {
    name: 'AWS access key id',
    ruleId: 'SEC-AWS-ACCESS-KEY',
    secret: awsKeyId,
    context: 'aws_access_key_id = {}',
    minScore: 0.8,
  },
  {
    name: 'AWS temporary key id',
    ruleId: 'SEC-AWS-ACCESS-KEY',
    secret: keys.awsAccessKeyId('ASIA'),
    context: 'export AWS_ACCESS_KEY_ID={}',
    minScore: 0.8,
  },
  {
    name: 'AWS secret key next to a key id',
    ruleId: 'SEC-AWS-SECRET-KEY',
    secret: keys.awsSecretKey(),
    context: `[default]\naws_access_key_id = ${awsKeyId}\nsecret = {}`,
    minScore: 0.85,
  },
  {
    name: 'AWS secret key in AWS context',
    ruleId: 'SEC-AWS-SECRET-KEY',
    secret: keys.awsSecretKey(),
    context: 'AWS credentials: {}',
    minScore: 0.8,
  },
  {
    name: 'GCP API key',
    ruleId: 'SEC-GCP-API-KEY',
    secret: `AIza${keys.chars(BASE64URL, 35)}`,
    context: 'key={}&q=x',
    minScore: 0.8,
  },
  {
    name: 'Azure storage account key',
    ruleId: 'SEC-AZURE-STORAGE-KEY',
    secret: `${keys.chars(BASE64, 86)}==`,
    context: 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={};EndpointSuffix=core.windows.net',
    minScore: 0.85,
  },
  {
    name: 'Azure shared access key',
    ruleId: 'SEC-AZURE-SHARED-ACCESS-KEY',
    secret: `${keys.chars(BASE64, 43)}=`,
    context: 'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey={}',
    minScore: 0.85,
  },
  {
    name: 'Azure SAS signature',
    ruleId: 'SEC-AZURE-SAS-TOKEN',
    secret: `${keys.chars(ALNUM, 43)}%3D`,
    context:
      'https://acme.blob.core.windows.net/c/b?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig={}',
    minScore: 0.8,
  },
  {
    name: 'GitHub classic PAT',
    ruleId: 'SEC-GITHUB-TOKEN',
    secret: keys.githubToken('ghp_'),
    context: 'token {}',
    minScore: 0.9,
  },
  {
    name: 'GitHub OAuth token',
    ruleId: 'SEC-GITHUB-TOKEN',
    secret: keys.githubToken('gho_'),
    context: '"{}"',
    minScore: 0.9,
  },
  {
    name: 'GitHub app token',
    ruleId: 'SEC-GITHUB-TOKEN',
    secret: keys.githubToken('ghs_'),
    context: 'X {} Y',
    minScore: 0.9,
  },
  {
    name: 'GitHub fine-grained PAT',
    ruleId: 'SEC-GITHUB-FINE-GRAINED-PAT',
    secret: `github_pat_${keys.chars(ALNUM, 22)}_${keys.chars(ALNUM, 59)}`,
    context: 'GH_TOKEN={}',
    minScore: 0.85,
  },
  {
    name: 'GitLab PAT',
    ruleId: 'SEC-GITLAB-TOKEN',
    secret: `glpat-${keys.chars(BASE64URL, 20)}`,
    context: 'PRIVATE-TOKEN: {}',
    minScore: 0.85,
  },
  {
    name: 'Slack bot token',
    ruleId: 'SEC-SLACK-TOKEN',
    secret: `xoxb-${keys.chars('0123456789', 12)}-${keys.chars('0123456789', 13)}-${keys.chars(ALNUM, 24)}`,
    context: 'SLACK_BOT_TOKEN={}',
    minScore: 0.85,
  },
  {
    name: 'Slack webhook',
    ruleId: 'SEC-SLACK-WEBHOOK',
    secret: `hooks.slack.com/services/T${keys.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8)}/B${keys.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8)}/${keys.chars(ALNUM, 24)}`,
    context: 'curl https://{} -d @msg.json',
    minScore: 0.8,
  },
  {
    name: 'Stripe live secret key',
    ruleId: 'SEC-STRIPE-KEY',
    secret: `sk_live_${keys.chars(ALNUM, 24)}`,
    context: 'Stripe.api_key = "{}"',
    minScore: 0.85,
  },
  {
    name: 'Stripe restricted key',
    ruleId: 'SEC-STRIPE-KEY',
    secret: `rk_live_${keys.chars(ALNUM, 24)}`,
    context: '{}',
    minScore: 0.85,
  },
  {
    name: 'OpenAI project key',
    ruleId: 'SEC-OPENAI-KEY',
    secret: `sk-proj-${keys.chars(BASE64URL, 74)}T3BlbkFJ${keys.chars(BASE64URL, 74)}`,
    context: 'OPENAI_API_KEY={}',
    minScore: 0.9,
  },
  {
    name: 'OpenAI legacy key',
    ruleId: 'SEC-OPENAI-KEY',
    secret: `sk-${keys.chars(ALNUM, 20)}T3BlbkFJ${keys.chars(ALNUM, 20)}`,
    context: 'openai.api_key = "{}"',
    minScore: 0.9,
  },
  {
    name: 'Anthropic key',
    ruleId: 'SEC-ANTHROPIC-KEY',
    secret: `sk-ant-api03-${keys.chars(BASE64URL, 93)}AA`,
    context: 'x-api-key: {}',
    minScore: 0.9,
  },
  {
    name: 'Hugging Face token',
    ruleId: 'SEC-HUGGINGFACE-TOKEN',
    secret: `hf_${keys.chars(LETTERS, 34)}`,
    context: 'HF_TOKEN={}',
    minScore: 0.8,
  },
  {
    name: 'Google OAuth client secret',
    ruleId: 'SEC-GOOGLE-OAUTH-SECRET',
    secret: `GOCSPX-${keys.chars(BASE64URL, 28)}`,
    context: '"client_secret":"{}"',
    minScore: 0.85,
  },
  {
    name: 'Google OAuth access token',
    ruleId: 'SEC-GOOGLE-OAUTH-TOKEN',
    secret: `ya29.${keys.chars(BASE64URL, 120)}`,
    context: 'access_token: {}',
    minScore: 0.8,
  },
  {
    name: 'Twilio API key',
    ruleId: 'SEC-TWILIO-API-KEY',
    secret: `SK${keys.chars(HEX, 32)}`,
    context: 'TWILIO_API_KEY={}',
    minScore: 0.75,
  },
  {
    name: 'Twilio auth token next to the SID',
    ruleId: 'SEC-TWILIO-AUTH-TOKEN',
    secret: keys.chars(HEX, 32),
    context: `client = Client("AC${keys.chars(HEX, 32)}", "{}")`,
    minScore: 0.8,
  },
  {
    name: 'SendGrid key',
    ruleId: 'SEC-SENDGRID-KEY',
    secret: `SG.${keys.chars(BASE64URL, 22)}.${keys.chars(BASE64URL, 43)}`,
    context: 'SENDGRID_API_KEY={}',
    minScore: 0.85,
  },
  {
    name: 'npm token',
    ruleId: 'SEC-NPM-TOKEN',
    secret: keys.githubToken('npm_'),
    context: '//registry.npmjs.org/:_authToken={}',
    minScore: 0.85,
  },
  {
    name: 'PyPI token',
    ruleId: 'SEC-PYPI-TOKEN',
    secret: `pypi-AgEIcHlwaS5vcmc${keys.chars(BASE64URL, 160)}`,
    context: 'password = {}',
    minScore: 0.9,
  },
  {
    name: 'Mailgun key',
    ruleId: 'SEC-MAILGUN-KEY',
    secret: `key-${keys.chars(HEX, 32)}`,
    context: "auth=('api', '{}')",
    minScore: 0.7,
  },
  {
    name: 'Shopify token',
    ruleId: 'SEC-SHOPIFY-TOKEN',
    secret: `shpat_${keys.chars(HEX, 32)}`,
    context: 'X-Shopify-Access-Token: {}',
    minScore: 0.85,
  },
  {
    name: 'Square token',
    ruleId: 'SEC-SQUARE-TOKEN',
    secret: `sq0atp-${keys.chars(BASE64URL, 22)}`,
    context: 'SQUARE={}',
    minScore: 0.85,
  },
  {
    name: 'Discord webhook',
    ruleId: 'SEC-DISCORD-WEBHOOK',
    secret: `discord.com/api/webhooks/123456789012345678/${keys.chars(BASE64URL, 68)}`,
    context: 'POST https://{}',
    minScore: 0.8,
  },
  {
    name: 'Discord bot token',
    ruleId: 'SEC-DISCORD-BOT-TOKEN',
    secret: `${discordId}.${keys.chars(BASE64URL, 6)}.${keys.chars(BASE64URL, 27)}`,
    context: 'client.login("{}")',
    minScore: 0.8,
  },
  {
    name: 'Telegram bot token',
    ruleId: 'SEC-TELEGRAM-BOT-TOKEN',
    secret: `123456789:AA${keys.chars(BASE64URL, 33)}`,
    context: 'bot = telebot.TeleBot("{}")',
    minScore: 0.8,
  },
  {
    name: 'Postgres URL password',
    ruleId: 'SEC-DB-CONNECTION-STRING',
    secret: dbPassword,
    context: 'DATABASE_URL=postgres://app:{}@db.internal:5432/app',
    minScore: 0.8,
  },
  {
    name: 'MongoDB SRV password',
    ruleId: 'SEC-DB-CONNECTION-STRING',
    secret: dbPassword,
    context: 'mongodb+srv://svc:{}@cluster0.abcde.mongodb.net/prod',
    minScore: 0.8,
  },
  {
    name: 'Redis URL password',
    ruleId: 'SEC-DB-CONNECTION-STRING',
    secret: dbPassword,
    context: 'redis://default:{}@cache:6379/0',
    minScore: 0.8,
  },
  {
    name: 'AMQP URL password',
    ruleId: 'SEC-DB-CONNECTION-STRING',
    secret: dbPassword,
    context: 'amqps://worker:{}@mq.internal/vhost',
    minScore: 0.8,
  },
  {
    name: 'MySQL with driver suffix',
    ruleId: 'SEC-DB-CONNECTION-STRING',
    secret: dbPassword,
    context: 'mysql+pymysql://root:{}@10.0.0.5/shop',
    minScore: 0.8,
  },
  {
    name: 'JDBC password parameter',
    ruleId: 'SEC-JDBC-PASSWORD',
    secret: jdbcPassword,
    context: 'jdbc:sqlserver://db:1433;databaseName=hr;user=svc;password={};encrypt=true',
    minScore: 0.8,
  },
  {
    name: 'Bearer token',
    ruleId: 'SEC-BEARER-TOKEN',
    secret: keys.chars(ALNUM, 48),
    context: 'Authorization: Bearer {}',
    minScore: 0.65,
  },
  {
    name: 'Basic auth header',
    ruleId: 'SEC-BASIC-AUTH',
    secret: Buffer.from(`deploy:${dbPassword}`).toString('base64'),
    context: 'Authorization: Basic {}',
    minScore: 0.7,
  },
  {
    name: 'generic password assignment',
    ruleId: 'SEC-GENERIC-ASSIGNMENT',
    secret: 'Tr0ub4dor&3x',
    context: 'DB_PASSWORD="{}"',
    minScore: 0.5,
  },
  {
    name: 'generic api key in YAML',
    ruleId: 'SEC-GENERIC-ASSIGNMENT',
    secret: keys.chars(LOWER_ALNUM, 32),
    context: 'service:\n  api_key: {}\n',
    minScore: 0.65,
  },
];
