#!/bin/sh
echo "The native Prisma schema engine is not used in this project: use npm run db:migrate (or npm run db:new -- <name>)." >&2
exit 1
