import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../access/caller.js';
import { cancelPriorAgreement } from '../../claims/prior-agreement-lookup.js';
import type { RightsDeps } from '../../rights/check-rights.js';
import { completedCancelTask, readCancelTask } from '../cancel-task.js';
import { sendResource } from '../media-type.js';

/** POST /fhir/r4/Task, code cancel: the cancellation of POST /api/v1/prior-agreements/:number/cancel, answered by the Task completed. */
export function cancelTaskRoute(scope: FastifyInstance, options: RightsDeps & { now: () => Date }): void {
  scope.post('/Task', async (request, reply) => {
    const now = options.now();
    const { number, structure } = readCancelTask(request.body);
    const caller = await callerOf(options.db, request, structure, now);
    const cancelled = await cancelPriorAgreement(options, caller, number, now);
    return sendResource(reply, completedCancelTask(cancelled.number, now));
  });
}
