// The test's own connection to the database the cluster's nodes share.
import { openStore } from '../../server/src/store/index.ts';
import type { Store } from '../../server/src/store/types.ts';
import type { ClusterRig } from './cluster.ts';

export function openRigStore(rig: ClusterRig): Promise<Store> {
  return openStore({ databaseUrl: rig.databaseUrl, dataDir: rig.dataDir });
}
