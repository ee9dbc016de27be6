import { describe, expect, it } from 'vitest';
import { checkFaults, faultFromEntry, parseFault, targetId } from '../../faults/spec.js';

describe('--fault strings and scenario faults', () => {
  it('parses local actions, replicas and restart-after; exec takes the rest of the text as its command', () => {
    const kill = parseFault('at=15s,action=kill,target=history,replica=1,restart-after=20s');
    expect(kill).toMatchObject({ atS: 15, action: 'kill', target: { service: 'history', replica: 1 }, restartAfterS: 20 });
    expect(targetId(kill.target!)).toBe('history-1');
    expect(parseFault('at=1m,action=pause,target=matching-0,restart-after=10s').target).toEqual({ service: 'matching', replica: 0 });
    expect(targetId(parseFault('at=5s,action=stop,target=server').target!)).toBe('server');
    const exec = parseFault('at=10s,action=exec,cmd=kubectl -n temporal delete pod -l a=b,c=d --wait=false');
    expect(exec).toMatchObject({ action: 'exec', cmd: 'kubectl -n temporal delete pod -l a=b,c=d --wait=false' });
    expect(faultFromEntry({ at: '15s', action: 'kill', target: 'history', replica: 0, restartAfter: '20s' })).toMatchObject({ atS: 15, target: { service: 'history', replica: 0 }, restartAfterS: 20 });
  });

  it('rejects bad strings with one line naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['at=5s,action=explode,target=server', /action must be one of kill, stop, pause, resume, exec/],
      ['at=5s,action=kill,target=database', /unknown target 'database'/],
      ['at=5s,action=exec', /action=exec needs cmd=/],
      ['action=kill,target=server', /at= is required/],
      ['at=5s,action=kill', /needs target=/],
      ['at=5s,action=resume,target=server,restart-after=5s', /restart-after needs/],
      ['at=soon,action=kill,target=server', /soon/],
      ['at=5s,action=kill,target=server,color=red', /unknown key 'color'/],
      ['at=5s,action=kill,target=prometheus-1', /prometheus has no replicas/],
    ];
    for (const [text, message] of cases) expect(() => parseFault(text), text).toThrow(message);
  });

  it('checks times against the load and targets against the stack before any load is sent', () => {
    const split = ['frontend-0', 'history-0', 'history-1', 'matching-0', 'matching-1', 'worker-0', 'prometheus'];
    expect(() => checkFaults([parseFault('at=15s,action=kill,target=history-1')], 60, split, '')).not.toThrow();
    expect(() => checkFaults([parseFault('at=90s,action=kill,target=history')], 60, split, '')).toThrow(/at=90s is outside the 60s load/);
    expect(() => checkFaults([parseFault('at=5s,action=kill,target=history-2')], 60, split, '')).toThrow(/the stack has no history-2/);
    expect(() => checkFaults([parseFault('at=5s,action=kill,target=history')], 60, ['server', 'prometheus'], '')).toThrow(/has no history-0 \(it runs server, prometheus\)/);
    expect(() => checkFaults([parseFault('at=5s,action=kill,target=server')], 60, undefined, 'no running stack')).toThrow(/needs a local stack \(no running stack\); for a remote cluster use action=exec/);
    expect(() => checkFaults([parseFault('at=5s,action=exec,cmd=true')], 60, undefined, '')).not.toThrow();
  });
});
