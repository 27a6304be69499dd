// The test's own connection to the database the cluster's nodes share.
import type { Store } from '../../server/src/store/types.ts';
import { openSqliteStore } from '../../server/src/store/sqlite.ts';
import type { ClusterRig } from './cluster.ts';

export async function openRigStore(rig: ClusterRig): Promise<Store> {
  return openSqliteStore(rig.dataDir);
}
