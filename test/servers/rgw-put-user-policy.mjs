// Gives the RGW test user an inline policy allowing sts:GetSessionToken and sts:AssumeRole,
// through RGW's IAM API (a SigV4-signed form POST, service "iam"). Signed with the `aws4`
// package, not this project's signer, so the test server never depends on the code under test.
//
//   node test/servers/rgw-put-user-policy.mjs ENDPOINT ACCESS_KEY SECRET_KEY USER_NAME
import http from 'node:http';
import aws4 from 'aws4';

const [endpoint, accessKeyId, secretAccessKey, userName] = process.argv.slice(2);
if (!endpoint || !accessKeyId || !secretAccessKey || !userName) {
  console.error('usage: rgw-put-user-policy.mjs ENDPOINT ACCESS_KEY SECRET_KEY USER_NAME');
  process.exit(2);
}

const url = new URL(endpoint);
const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['sts:GetSessionToken', 'sts:AssumeRole'], Resource: '*' },
  ],
});
const body = new URLSearchParams({
  Action: 'PutUserPolicy',
  Version: '2010-05-08',
  UserName: userName,
  PolicyName: 'sts-access',
  PolicyDocument: policy,
}).toString();

const opts = aws4.sign(
  {
    host: url.host,
    method: 'POST',
    path: '/',
    service: 'iam',
    region: 'us-east-1',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  },
  { accessKeyId, secretAccessKey },
);

const { status, text } = await new Promise((resolve, reject) => {
  const req = http.request(
    { hostname: url.hostname, port: url.port, method: 'POST', path: '/', headers: opts.headers, timeout: 20_000 },
    (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    },
  );
  req.on('timeout', () => req.destroy(new Error('PutUserPolicy timed out')));
  req.on('error', reject);
  req.end(body);
});

console.log(`PutUserPolicy -> HTTP ${status}\n${text}`);
if (status !== 200) process.exit(1);
