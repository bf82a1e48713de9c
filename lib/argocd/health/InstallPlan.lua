-- Health of an OLM InstallPlan (operators.coreos.com/v1alpha1).
-- Complete is Healthy, Failed is Degraded, a plan waiting for manual
-- approval is Suspended (a person has to set spec.approved), anything else
-- is Progressing.
local hs = {}
if obj.status == nil or obj.status.phase == nil or obj.status.phase == "" then
  hs.status = "Progressing"
  hs.message = "The install plan is being resolved"
  return hs
end
local phase = obj.status.phase
local csvs = ""
if obj.spec ~= nil and obj.spec.clusterServiceVersionNames ~= nil then
  for i, name in ipairs(obj.spec.clusterServiceVersionNames) do
    if i > 1 then
      csvs = csvs .. ", "
    end
    csvs = csvs .. name
  end
end
if phase == "Complete" then
  hs.status = "Healthy"
  hs.message = "Installed " .. csvs
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = "The install plan failed"
  if obj.status.conditions ~= nil then
    for _, condition in ipairs(obj.status.conditions) do
      if condition.status == "False" and condition.message ~= nil then
        hs.message = condition.message
      end
    end
  end
elseif phase == "RequiresApproval" or (obj.spec ~= nil and obj.spec.approved == false) then
  hs.status = "Suspended"
  hs.message = "Waiting for manual approval of " .. csvs .. " (set spec.approved: true)"
else
  hs.status = "Progressing"
  hs.message = "The install plan is " .. phase
end
return hs
