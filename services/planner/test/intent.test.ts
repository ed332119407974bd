import { describe, expect, it } from 'vitest';
import { parseCount, parseRequest, scaled } from '../src/mod.ts';

const intent = (text: string) => parseRequest(text).intent;

describe('numbers in words or digits', () => {
  it.each([
    ['five', 5],
    ['5', 5],
    ['twenty one', 21],
    ['twenty-one', 21],
    ['two hundred and ten', 210],
    ['zero', 0],
    ['a dozen', 12],
    ['1,000', 1000],
  ])('%s = %d', (text, value) => expect(parseCount(text)).toBe(value));
  it('is not a number', () => {
    expect(parseCount('many')).toBeNull();
    expect(parseCount('5 replicas')).toBeNull();
  });
});

describe('direct commands', () => {
  it('scale to a count in words or digits, a Service named by its words', () => {
    expect(intent('Scale the checkout service to five replicas.')).toEqual({
      kind: 'scale',
      target: 'checkout service',
      change: { to: 5 },
    });
    expect(intent('please scale up web to twenty one replicas')).toMatchObject({
      change: { to: 21 },
    });
    expect(intent('set replicas of checkout to 3')).toMatchObject({
      kind: 'scale',
      change: { to: 3 },
    });
    expect(intent('scale checkout to 0')).toMatchObject({ change: { to: 0 } });
  });
  it('scale by a percentage or a count, up or down', () => {
    expect(intent('scale checkout by 50%')).toMatchObject({
      change: { byPercent: 50, direction: 'up' },
    });
    expect(intent('scale checkout down by 50 percent')).toMatchObject({
      change: { byPercent: 50, direction: 'down' },
    });
    expect(intent('scale down worker by 2')).toMatchObject({
      change: { by: 2, direction: 'down' },
    });
  });
  it('restart, roll back, set image', () => {
    expect(intent('restart the checkout deployment')).toEqual({
      kind: 'restart',
      target: 'checkout deployment',
    });
    expect(intent('rollback the last deploy of order-service')).toEqual({
      kind: 'rollback',
      target: 'order-service',
    });
    expect(intent('roll back order-service to revision 3')).toEqual({
      kind: 'rollback',
      target: 'order-service',
      toRevision: 3,
    });
    expect(intent('Set the image of storefront to nginx:1.27.1')).toEqual({
      kind: 'set-image',
      target: 'storefront',
      image: 'nginx:1.27.1',
    });
    expect(
      intent('set image of container web in storefront to registry.example.com/Web:2'),
    ).toEqual({
      kind: 'set-image',
      target: 'storefront',
      image: 'registry.example.com/Web:2',
      container: 'web',
    });
    expect(intent('update storefront image to nginx:1.27')).toMatchObject({
      kind: 'set-image',
      target: 'storefront',
    });
  });
  it('a pull secret a person names', () => {
    expect(intent('Set pull secret registry-credentials on checkout-api')).toEqual({
      kind: 'set-pull-secret',
      target: 'checkout-api',
      secret: 'registry-credentials',
    });
    expect(intent('please use the image pull secret ghcr-pull for the web deployment')).toEqual({
      kind: 'set-pull-secret',
      target: 'web deployment',
      secret: 'ghcr-pull',
    });
  });
});

describe('questions', () => {
  it('logs and log errors', () => {
    expect(intent('show logs of payment-api')).toEqual({ kind: 'logs', target: 'payment-api' });
    expect(intent('Check logs for the payment service errors.')).toEqual({
      kind: 'log-errors',
      target: 'payment service',
    });
  });
  it('a described failure is a diagnosis; "fix it" asks for the fix', () => {
    expect(intent('Why are backend API pods stuck in Pending state?')).toEqual({
      kind: 'diagnose',
      target: 'backend api pods',
      symptom: 'pending',
      fix: false,
    });
    expect(intent('payment-api is unreachable since the deploy, fix it')).toEqual({
      kind: 'diagnose',
      target: 'payment-api',
      symptom: 'unreachable',
      fix: true,
    });
    expect(intent('why is cart-service crashing?')).toMatchObject({ symptom: 'crashing' });
    expect(intent('why is cart-service restarting?')).toMatchObject({
      kind: 'diagnose',
      symptom: 'crashing',
    });
    expect(intent('fix it')).toEqual({ kind: 'diagnose', target: '', symptom: null, fix: true });
  });
  it('health questions answer without a plan', () => {
    expect(parseRequest("What's wrong in namespace shop?")).toEqual({
      intent: { kind: 'health', target: '' },
      namespace: 'shop',
    });
    expect(parseRequest('is the shop namespace healthy?')).toEqual({
      intent: { kind: 'health', target: 'shop' },
      namespace: 'shop',
    });
    expect(intent('Is checkout healthy?')).toEqual({ kind: 'health', target: 'checkout' });
  });
  it('what it cannot understand is unknown', () => {
    expect(intent('make me a sandwich')).toEqual({ kind: 'unknown' });
    expect(intent('hello')).toEqual({ kind: 'unknown' });
  });
  it('the namespace named in the text', () => {
    expect(parseRequest('show me the logs for checkout in namespace shop').namespace).toBe('shop');
    expect(parseRequest('restart web -n frontend').namespace).toBe('frontend');
    expect(parseRequest("helpdesk-api won't start in the support namespace").namespace).toBe(
      'support',
    );
  });
});

describe('scale arithmetic', () => {
  it('by a percentage rounds away from no change; never below zero', () => {
    expect(scaled(4, { byPercent: 50, direction: 'up' })).toBe(6);
    expect(scaled(3, { byPercent: 50, direction: 'up' })).toBe(5);
    expect(scaled(3, { byPercent: 50, direction: 'down' })).toBe(1);
    expect(scaled(2, { by: 5, direction: 'down' })).toBe(0);
    expect(scaled(2, { to: 7 })).toBe(7);
  });
});

describe('logs as context, not the question', () => {
  it('"the logs show nothing wrong" with a symptom is a diagnosis', () => {
    expect(
      intent(
        'cart-service pods keep restarting every half minute but the logs show nothing wrong. Help?',
      ),
    ).toMatchObject({ kind: 'diagnose', symptom: 'crashing' });
    expect(
      intent('We are not getting any logs from the edge nodes. Is log-shipper running?'),
    ).toMatchObject({
      kind: 'diagnose',
      symptom: 'failing',
    });
    expect(intent('any errors in the checkout logs?')).toMatchObject({ kind: 'log-errors' });
  });
});

describe('yes/no questions about objects', () => {
  it('are health questions that only count if the object exists', () => {
    expect(
      intent('Can the checker sidecar reach nginx in the web-with-sidecar pods?'),
    ).toMatchObject({
      kind: 'health',
      guess: true,
    });
    expect(intent('Can you make me a sandwich?')).toMatchObject({ kind: 'health', guess: true });
    expect(intent('make me a sandwich')).toEqual({ kind: 'unknown' });
  });
});
