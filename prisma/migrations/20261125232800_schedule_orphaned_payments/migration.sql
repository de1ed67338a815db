-- Data only. Payments are now scheduled for reconciliation when they are created, so one whose
-- request stopped between its two commits is adopted by the reconciler. Schedule those left by
-- earlier versions: pending, no route recorded, never scheduled.
UPDATE "payments"
   SET "next_check_at" = "created_at" + interval '70 seconds'
 WHERE "status" = 'pending' AND "route_path" IS NULL AND "next_check_at" IS NULL;
