"""Cohort members by invitation (cohorts/member_invitations.py, issue 18): typing an address never pulls anyone in.

A manager invites an email address to a cohort; the page answers "Invitation sent to …" whether an account has the
address or not, creates no account and no membership, and never shows an account's name: the dashboard lists the
invitation by the address and the name the manager typed. Only the account that confirmed the address may accept
(which creates the membership: region, start date, participant group, audit) or decline; the manager may withdraw
it; a declined, withdrawn or expired invitation makes nobody a member, and the manager's view of people (the admin's
`people_of_managed_programs`) includes nobody merely invited."""
