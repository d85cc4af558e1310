/** The reference: a bare Express 5 "hello" in its own process, the ceiling the bench compares against. */
import express from 'express';

const app = express();
app.get('/', (_req, res) => {
  res.send('Hello World!');
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`hello listening ${typeof address === 'object' && address ? address.port : ''}`);
});
