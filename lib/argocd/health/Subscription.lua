-- Health of an OLM Subscription (operators.coreos.com/v1alpha1).
-- Derived from Argo CD's check for Subscriptions (Apache-2.0, the Argo
-- Project authors), with the Manual approval cases of a GitOps catalog:
--   * an upgrade that waits for manual approval while a CSV is installed is
--     Healthy (Argo CD before v3.5.0 says Progressing, forever);
--   * a first install that waits for manual approval is Suspended: a person
--     has to approve the InstallPlan, nothing will progress on its own.
local hs = {}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "An install plan for a subscription is pending installation"
  return hs
end

local manual = obj.spec ~= nil and obj.spec.installPlanApproval == "Manual"
local awaitingApproval = false
if manual then
  for _, condition in pairs(obj.status.conditions) do
    if condition.type == "InstallPlanPending" and condition.status == "True" and condition.reason == "RequiresApproval" then
      awaitingApproval = true
      break
    end
  end
end
local installed = obj.status.installedCSV ~= nil and obj.status.installedCSV ~= ""

local numDegraded = 0
local numPending = 0
local msg = ""
for i, condition in pairs(obj.status.conditions) do
  if awaitingApproval and condition.type == "InstallPlanPending" then
    -- expected with Manual approval: reported below
  else
    msg = msg .. i .. ": " .. condition.type .. " | " .. condition.status .. "\n"
    if condition.type == "InstallPlanPending" and condition.status == "True" then
      numPending = numPending + 1
    elseif condition.type == "InstallPlanMissing" and condition.reason ~= "ReferencedInstallPlanNotFound" then
      numDegraded = numDegraded + 1
    elseif (condition.type == "CatalogSourcesUnhealthy" or condition.type == "InstallPlanFailed" or condition.type == "ResolutionFailed") and condition.status == "True" then
      numDegraded = numDegraded + 1
    end
  end
end

local state = obj.status.state
if state == nil then
  numPending = numPending + 1
  msg = msg .. ".status.state not yet known\n"
elseif state == "" or state == "UpgradeAvailable" then
  numPending = numPending + 1
  msg = msg .. ".status.state is '" .. state .. "'\n"
elseif state == "UpgradePending" then
  if awaitingApproval and installed then
    msg = msg .. ".status.state is 'UpgradePending' (manual InstallPlan approval pending; treated as healthy)\n"
  elseif awaitingApproval then
    msg = msg .. ".status.state is 'UpgradePending' (the first InstallPlan waits for manual approval)\n"
  else
    numPending = numPending + 1
    msg = msg .. ".status.state is '" .. state .. "'\n"
  end
elseif state == "UpgradeFailed" then
  numDegraded = numDegraded + 1
  msg = msg .. ".status.state is '" .. state .. "'\n"
else
  msg = msg .. ".status.state is '" .. state .. "'\n"
end

if numDegraded > 0 then
  hs.status = "Degraded"
elseif awaitingApproval and not installed then
  hs.status = "Suspended"
elseif numPending > 0 then
  hs.status = "Progressing"
else
  hs.status = "Healthy"
end
hs.message = msg
return hs
